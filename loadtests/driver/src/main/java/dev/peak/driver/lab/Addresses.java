package dev.peak.driver.lab;

/**
 * The lab's address plan: one IPv6 ULA address per instance inside {@code fd00:70ea::/48}, as a pod
 * has its own address. These addresses exist only inside a lab namespace: the build host routes
 * them off the machine, so nothing outside one may use them (docs/architecture.md: The local lab).
 */
public final class Addresses {

    public static final String PREFIX = "fd00:70ea::";
    /** Every service instance listens on this port of its own address. */
    public static final int SERVICE_PORT = 8080;
    public static final int DNS_PORT = 53;
    /** peak-dns's admin HTTP (health, metrics). */
    public static final int DNS_ADMIN_PORT = 8053;
    /** The proxy or the mesh ingress: the entry of the traditional variants. */
    public static final String ENTRY = PREFIX + "e:1";

    private Addresses() {
    }

    /** The i-th (1-based) instance of service a or b: fd00:70ea::a:1, fd00:70ea::b:2, ... */
    public static String service(char service, int i) {
        if (service != 'a' && service != 'b') {
            throw new IllegalArgumentException("no such service: " + service);
        }
        return PREFIX + service + ":" + Integer.toHexString(i);
    }

    /** peak-dns replica 1 is fd00:70ea::53, replica 2 fd00:70ea::53:2 (the lab's resolv.conf names both). */
    public static String dns(int replica) {
        return replica == 1 ? PREFIX + "53" : PREFIX + "53:" + Integer.toHexString(replica);
    }
}
