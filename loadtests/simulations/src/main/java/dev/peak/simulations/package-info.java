/**
 * The Gatling simulations of the PEAK comparison, one per variant, and their own measurements, level by level.
 *
 * <p>The client model, the same in every simulation:
 * <ul>
 *   <li>A virtual user is one client session with its own connection (HTTP/1.1 keep-alive).
 *   <li>RI1 ({@link dev.peak.simulations.Ri1PeakSimulation}, {@link dev.peak.simulations.Ri1ProxySimulation},
 *       {@link dev.peak.simulations.Ri1DirectSimulation}): k {@code GET /work?cost=C} on that connection.
 *   <li>RI2 PEAK ({@link dev.peak.simulations.Ri2PeakSimulation}): one {@code POST /token} to A, then k
 *       {@code GET /work} to B carrying the token.
 *   <li>RI2 mesh ({@link dev.peak.simulations.Ri2MeshSimulation}): k {@code GET /chain?cost=C} to the ingress.
 *   <li>k ({@code peak.k}, default 10) is set per run; C ({@code peak.cost}, default 100) is the run's first
 *       cost, and a {@code cost <C>} order from the driver sets it for the sessions that start afterwards, so
 *       that one warm generator measures every cost.
 *   <li>Open model: sessions arrive as a Poisson process at the level's rate / k per second, however slowly the
 *       servers answer, so a slow server cannot hide its latency (no coordinated omission); one warm JVM offers
 *       every level of a staircase ({@link dev.peak.simulations.Levels}).
 *   <li>PEAK clients resolve names through peak-dns, each session keeping the answer for its TTL, through one
 *       resolver and socket they all share ({@link dev.peak.simulations.StubResolver}), and connect straight to
 *       the address they got; the counterparts connect to the proxy or ingress.
 *   <li>A failed request does not end its session (the client carries on, as one that retries would), but
 *       makes it KO; only a failed token request ends an RI2 session, as nothing could call B after it.
 * </ul>
 */
package dev.peak.simulations;
