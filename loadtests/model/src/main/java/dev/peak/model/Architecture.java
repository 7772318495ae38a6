package dev.peak.model;

/**
 * How a request reaches a server, the one thing the variants differ in. The lab's six variants map onto four:
 * ri1-direct and ri1/ri2-peak, ri1-haproxy and ri1-nginx (a proxy is a proxy here: what tells them apart is their
 * measured cost), ri2-mesh.
 */
public enum Architecture {
    /** The client calls a server it was given an address of; nothing in between (the baseline). */
    DIRECT,
    /** The client resolves the service's name at peak-dns, caches the answer for its TTL and calls the server. */
    PEAK,
    /** Every request crosses one reverse proxy, which picks a server. */
    PROXY,
    /** An ingress gateway, then a sidecar beside each instance on both ends of every hop. */
    MESH
}
