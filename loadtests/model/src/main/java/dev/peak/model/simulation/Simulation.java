package dev.peak.model.simulation;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.HdrHistogram.Histogram;

import dev.peak.model.Architecture;
import dev.peak.model.Role;
import dev.peak.model.capacity.Costs;
import dev.peak.model.capacity.Deployment;

/**
 * A discrete-event simulation of one variant's whole request path. Every process of the lab is an instance here: a
 * queue in front of {@code cores} processors whose speed is its CPU budget, each visit taking the role's measured CPU
 * time (gamma distributed around the mean). Clients arrive as sessions (open model) and make their requests one after the
 * other; PEAK's clients resolve names at a peak-dns replica (itself a queue) and keep the answer in their own cache
 * for its TTL; proxies, the ingress and sidecars pick a server per request. Health checkers see a killed server at
 * their fall-th failed probe, so the balancers keep choosing it until then.
 *
 * <p>Modelling choices, each one the simplest that keeps what the study compares:
 * <ul>
 *   <li>A request's CPU is spent on its way in; the way back only adds network delay.</li>
 *   <li>The sidecars share one view of B's requests in progress, where each of the lab's sidecars counts its own.</li>
 *   <li>peak-dns's replicas share one view of the servers' load, read by one checker every interval.</li>
 *   <li>A proxy retries a refused connection, and a request a killed server never answered, on another server
 *       (HAProxy's redispatch and retries, nginx's next upstream), so a killed server costs it no request; PEAK's
 *       clients and the sidecars' callers get an error for every request sent to it until they stop choosing
 *       it.</li>
 *   <li>Every client asks the replicas in an order of its own (so that they share the queries), and waits the
 *       resolver timeout on one that does not answer.</li>
 * </ul>
 *
 * <p>One file of more than 800 lines on purpose: the event loop, the instances' queues and the balancers' choices
 * share primitive arrays indexed by the same ids, so that no event allocates; split, they would share them through
 * accessors on the hot path.
 */
public final class Simulation {

    private static final int ARRIVAL = 1;
    private static final int DEPART = 2;
    private static final int ARRIVE = 3;
    private static final int RESUME = 4;
    private static final int FAULT = 5;
    private static final int HEALTH_DOWN = 6;
    private static final int HEALTH_UP = 7;
    private static final int SNAPSHOT = 8;

    // what a session does next
    private static final int RESOLVE = 0;
    private static final int TOKEN = 1;
    private static final int WORK = 2;
    private static final int RETRY_DNS = 3;
    private static final int ANSWERED = 4;

    // the kinds of instance on a request's path
    private static final int K_A = 0;
    private static final int K_B = 1;
    private static final int K_PROXY = 2;
    private static final int K_SIDECAR_A = 3;
    private static final int K_SIDECAR_B = 4;

    // the balancers' views of the servers: peak-dns of A and of B, the proxy (or ingress) of A, the sidecars of B
    private static final int VIEW_DNS_A = 0;
    private static final int VIEW_DNS_B = 1;
    private static final int VIEW_PROXY = 2;
    private static final int VIEW_SIDECARS = 3;

    /** Least-connections keys: requests in progress first, then the least recently chosen (HAProxy's order). */
    private static final double LEAST_CONNECTIONS_SCALE = 1e9;

    private final Scenario sc;
    private final Architecture architecture;
    private final boolean withB;
    private final int n;
    private final int replicas;
    private final int[] path;
    private final int hops;
    private final double delayS;
    private final SplittableRandom random;
    private final double gammaShape;
    private final EventQueue events = new EventQueue();

    // instances: A [0, n), B [n, 2n), A's sidecars [2n, 3n), B's sidecars [3n, 4n), the proxy 4n, peak-dns after it
    private final int proxy;
    private final int dns0;
    private final int[] cores;
    private final double[] speed;
    private final double[] demandUs;
    private final int[] busy;
    private final int[] queueHead;
    private final int[] queueTail;
    private final int[] inProgress;
    private final long[] served;
    /** Visits each instance finished inside the steady window: the middle 80 % of the sessions' arrivals. */
    private final long[] servedSteady;
    private long completedSteady;
    private final double steadyFrom;
    private final double steadyTo;
    private final boolean[] alive;

    // the balancers' views
    private final boolean[][] healthy = new boolean[4][];
    private final int[][] healthyList = new int[4][];
    private final int[] healthyCount = new int[4];
    private final long[] cursor = new long[4];
    private final MinTree[] trees = new MinTree[4];
    private final double[][] cumulativeWeights = new double[4][];
    private final double[][] probePhase = new double[4][];
    private long picks;

    // sessions, by slot: one request each at a time
    private int[] sClient = new int[1024];
    private long[] sSession = new long[1024];
    private int[] sLeft = new int[1024];
    private int[] sNext = new int[1024];
    private int[] sStage = new int[1024];
    private int[] sPhase = new int[1024];
    private int[] sName = new int[1024];
    private int[] sTry = new int[1024];
    private int[] sA = new int[1024];
    private int[] sB = new int[1024];
    private double[] sStart = new double[1024];
    private int[] freeSlots = new int[1024];
    private int freeCount;
    private int slotsUsed;

    // clients' caches: the server each name resolved to, until when
    private final int[] cachedServer;
    private final double[] cachedUntil;

    private final Histogram latencyUs = new Histogram(3_600_000_000L, 3);
    private long arrived;
    private long active;
    private long requests;
    private long errors;
    private long errorsAfterFault;
    private long dnsQueries;
    private double firstFault = Double.POSITIVE_INFINITY;
    private double firstErrorS = Double.NaN;
    private double lastErrorS = Double.NEGATIVE_INFINITY;
    private double lastEnd;
    private long eventCount;
    private double now;

    private Simulation(Scenario sc) {
        this.sc = sc;
        Deployment d = sc.deployment();
        this.architecture = d.architecture();
        this.withB = d.withB();
        this.n = d.servers();
        this.replicas = d.dnsReplicas();
        this.random = new SplittableRandom(sc.seed());
        this.gammaShape = sc.serviceCv() == 0 ? 0 : 1 / (sc.serviceCv() * sc.serviceCv());
        this.delayS = sc.hopDelayUs() * 1e-6;
        this.path = switch (architecture) {
            case DIRECT, PEAK -> new int[] {withB ? K_B : K_A};
            case PROXY -> new int[] {K_PROXY, K_A};
            case MESH -> withB ? new int[] {K_PROXY, K_SIDECAR_A, K_A, K_SIDECAR_A, K_SIDECAR_B, K_B}
                    : new int[] {K_PROXY, K_SIDECAR_A, K_A};
        };
        this.hops = path.length;
        this.proxy = 4 * n;
        this.dns0 = proxy + 1;
        int instances = dns0 + replicas;
        cores = new int[instances];
        speed = new double[instances];
        demandUs = new double[instances];
        busy = new int[instances];
        queueHead = new int[instances];
        queueTail = new int[instances];
        inProgress = new int[instances];
        served = new long[instances];
        servedSteady = new long[instances];
        double arrivals = sc.sessions() / (sc.offeredRps() / sc.requestsPerSession());
        steadyFrom = 0.1 * arrivals;
        steadyTo = 0.9 * arrivals;
        alive = new boolean[instances];
        Arrays.fill(queueHead, -1);
        Arrays.fill(queueTail, -1);
        Arrays.fill(alive, true);
        Costs costs = sc.costs();
        double sidecarPasses = withB ? 3 : 2;
        for (int i = 0; i < n; i++) {
            // RI2's token costs A once per session; the lab counts it per primary request
            instance(i, d.serverCpus(), costs.us(Role.SERVICE_A)
                    * (architecture == Architecture.PEAK && withB ? sc.requestsPerSession() : 1));
            instance(n + i, d.serverCpus(), costs.us(Role.SERVICE_B));
            instance(2 * n + i, d.sidecarCpus(), costs.us(Role.SIDECAR) / sidecarPasses);
            instance(3 * n + i, d.sidecarCpus(), costs.us(Role.SIDECAR) / sidecarPasses);
        }
        instance(proxy, d.proxyCpus(), costs.us(architecture == Architecture.MESH ? Role.INGRESS : Role.PROXY));
        for (int r = 0; r < replicas; r++) {
            instance(dns0 + r, d.dnsCpus(), costs.dnsUsPerQuery());
        }
        for (int view = 0; view < 4; view++) {
            healthy[view] = new boolean[n];
            Arrays.fill(healthy[view], true);
            healthyList[view] = new int[n];
            cumulativeWeights[view] = new double[n];
            probePhase[view] = new double[n];
            for (int i = 0; i < n; i++) {
                probePhase[view][i] = random.nextDouble() * sc.healthIntervalS();
            }
            rebuildHealthy(view);
        }
        if (architecture == Architecture.PEAK && sc.policy() == Policy.LEAST_LOADED) {
            trees[VIEW_DNS_A] = new MinTree(n);
            trees[VIEW_DNS_B] = new MinTree(n);
        }
        if ((architecture == Architecture.PROXY || architecture == Architecture.MESH) && sc.proxyLeastConnections()) {
            trees[VIEW_PROXY] = new MinTree(n);
            trees[VIEW_SIDECARS] = new MinTree(n);
            for (int i = 0; i < n; i++) {
                trees[VIEW_PROXY].set(i, i);
                trees[VIEW_SIDECARS].set(i, i);
            }
        }
        int clients = sc.clients();
        cachedServer = new int[2 * clients];
        cachedUntil = new double[2 * clients];
        // clients that have been running for a while: each holds an answer that expires at a moment of its own, so
        // that their caches do not all expire together
        for (int i = 0; i < 2 * clients; i++) {
            cachedServer[i] = random.nextInt(n);
            cachedUntil[i] = random.nextDouble() * sc.cacheS();
        }
    }

    public static SimulationResult run(Scenario scenario) {
        return new Simulation(scenario).execute();
    }

    private void instance(int i, double cpus, double us) {
        cores[i] = (int) Math.max(1, Math.ceil(cpus - 1e-9));
        speed[i] = cpus / cores[i];
        demandUs[i] = us;
    }

    private SimulationResult execute() {
        long started = System.nanoTime();
        events.add(0, encode(ARRIVAL, 0, 0));
        for (int f = 0; f < sc.faults().size(); f++) {
            events.add(sc.faults().get(f).atS(), encode(FAULT, f, 0));
            firstFault = Math.min(firstFault, sc.faults().get(f).atS());
        }
        if (trees[VIEW_DNS_A] != null) {
            events.add(0, encode(SNAPSHOT, 0, 0));
        }
        while (!events.isEmpty()) {
            now = events.peekTime();
            long event = events.poll();
            eventCount++;
            int type = (int) (event >>> 60);
            int target = (int) ((event >>> 32) & 0xFFFFFFF);
            int slot = (int) event;
            switch (type) {
                case ARRIVAL -> arrival();
                case DEPART -> depart(target, slot);
                case ARRIVE -> arrive(slot, target);
                case RESUME -> resume(slot);
                case FAULT -> fault(sc.faults().get(target));
                case HEALTH_DOWN -> health(target >>> 24, target & 0xFFFFFF, false);
                case HEALTH_UP -> health(target >>> 24, target & 0xFFFFFF, true);
                case SNAPSHOT -> snapshot();
                default -> throw new IllegalStateException("unknown event type " + type);
            }
        }
        return result((System.nanoTime() - started) / 1e9);
    }

    private static long encode(int type, int target, int slot) {
        return ((long) type << 60) | ((long) target << 32) | (slot & 0xFFFFFFFFL);
    }

    // ---- sessions ------------------------------------------------------------------------------------------------

    private void arrival() {
        arrived++;
        if (arrived < sc.sessions()) {
            double rate = sc.offeredRps() / sc.requestsPerSession();
            events.add(now - Math.log(1 - random.nextDouble()) / rate, encode(ARRIVAL, 0, 0));
        }
        int s = allocate();
        active++;
        sClient[s] = sc.clients() == 0 ? -1 : random.nextInt(sc.clients());
        sSession[s] = arrived;
        sLeft[s] = sc.requestsPerSession();
        sTry[s] = 0;
        switch (architecture) {
            // a direct client has the servers' list and takes them in turn
            case DIRECT -> {
                int server = (int) (arrived % n);
                sA[s] = server;
                sB[s] = server;
                startRequest(s);
            }
            case PEAK -> resolve(s, 0);
            case PROXY, MESH -> startRequest(s);
        }
    }

    private void resolve(int s, int name) {
        sName[s] = name;
        int client = sClient[s];
        if (client >= 0 && cachedUntil[2 * client + name] > now) {
            answered(s, name, cachedServer[2 * client + name]);
            return;
        }
        sTry[s] = 0;
        askReplica(s);
    }

    private void askReplica(int s) {
        // every client lists the replicas in an order of its own, so that they share the queries
        int first = (int) ((sClient[s] >= 0 ? sClient[s] : sSession[s]) % replicas);
        sPhase[s] = RESOLVE;
        send(s, dns0 + (first + sTry[s]) % replicas);
    }

    private void answered(int s, int name, int server) {
        if (name == 0) {
            sA[s] = server;
            if (withB) {
                sPhase[s] = TOKEN;
                send(s, server);
            } else {
                startRequest(s);
            }
        } else {
            sB[s] = server;
            startRequest(s);
        }
    }

    private void startRequest(int s) {
        sPhase[s] = WORK;
        sStage[s] = 0;
        sStart[s] = now;
        route(s);
    }

    /** Sends the request of s to the instance of its current stage, choosing a server where a balancer does. */
    private void route(int s) {
        int kind = path[sStage[s]];
        switch (kind) {
            case K_PROXY -> send(s, proxy);
            case K_A -> send(s, sA[s]);
            case K_B -> send(s, n + sB[s]);
            case K_SIDECAR_A -> send(s, 2 * n + sA[s]);
            case K_SIDECAR_B -> send(s, 3 * n + sB[s]);
            default -> throw new IllegalStateException("stage " + kind);
        }
    }

    private void send(int s, int instance) {
        if (delayS > 0) {
            events.add(now + delayS, encode(ARRIVE, instance, s));
        } else {
            arrive(s, instance);
        }
    }

    private void arrive(int s, int instance) {
        if (!alive[instance]) {
            refused(s, instance);
            return;
        }
        inProgress[instance]++;
        if (busy[instance] < cores[instance]) {
            start(s, instance);
        } else {
            sNext[s] = -1;
            if (queueTail[instance] < 0) {
                queueHead[instance] = s;
            } else {
                sNext[queueTail[instance]] = s;
            }
            queueTail[instance] = s;
        }
    }

    private void start(int s, int instance) {
        busy[instance]++;
        double t = demandUs[instance] * 1e-6 * serviceFactor() / speed[instance];
        events.add(now + t, encode(DEPART, instance, s));
    }

    private void depart(int instance, int s) {
        busy[instance]--;
        inProgress[instance]--;
        if (!alive[instance]) {
            // killed with this request inside: its connection is reset (a query, unanswered, times out)
            lost(s, instance);
            return;
        }
        served[instance]++;
        if (now >= steadyFrom && now < steadyTo) {
            servedSteady[instance]++;
        }
        if (busy[instance] < cores[instance] && queueHead[instance] >= 0) {
            int next = queueHead[instance];
            queueHead[instance] = sNext[next];
            if (queueHead[instance] < 0) {
                queueTail[instance] = -1;
            }
            start(next, instance);
        }
        if (instance >= dns0) {
            dnsQueries++;
            int name = sName[s];
            int server = choose(name == 0 ? VIEW_DNS_A : VIEW_DNS_B);
            int client = sClient[s];
            if (client >= 0) {
                cachedServer[2 * client + name] = server;
                cachedUntil[2 * client + name] = now + sc.cacheS();
            }
            if (name == 0) {
                sA[s] = server;
            } else {
                sB[s] = server;
            }
            afterResponse(s, 1, ANSWERED);
            return;
        }
        if (sPhase[s] == TOKEN) {
            afterResponse(s, 1, RESOLVE);
            return;
        }
        int kind = path[sStage[s]];
        boolean last = sStage[s] == hops - 1;
        if (kind == K_PROXY) {
            // the proxy or ingress picks the server; a proxy retries a refused connection on the next one
            int server = choose(VIEW_PROXY);
            if (architecture == Architecture.PROXY && !alive[server]) {
                server = redispatch(server);
            }
            sA[s] = server;
        } else if (kind == K_SIDECAR_A && sStage[s] == 3) {
            sB[s] = choose(VIEW_SIDECARS);
        }
        if (last) {
            completed(s);
        } else {
            sStage[s]++;
            route(s);
        }
    }

    /**
     * One visit's CPU time over its mean: gamma distributed with mean 1 and the scenario's coefficient of variation,
     * so that cv 1 is exponential (M/M/c) and 0 constant. Marsaglia and Tsang's method, boosted below shape 1.
     */
    private double serviceFactor() {
        if (gammaShape == 0) {
            return 1;
        }
        if (gammaShape == 1) {
            return -Math.log(1 - random.nextDouble());
        }
        double shape = gammaShape < 1 ? gammaShape + 1 : gammaShape;
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        double sample;
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                sample = d * v;
                break;
            }
        }
        if (gammaShape < 1) {
            sample *= Math.pow(1 - random.nextDouble(), 1 / gammaShape);
        }
        return sample / gammaShape;
    }

    /**
     * A request was inside (or queued at) an instance that died. A proxy sends it to another server: nginx's
     * proxy_next_upstream and HAProxy's retries repeat an idempotent request whose connection failed, and the lab saw
     * no errors when it killed a server behind them. Anyone else gets the error.
     */
    private void lost(int s, int instance) {
        if (architecture == Architecture.PROXY && instance < n && sPhase[s] == WORK) {
            sA[s] = redispatch(sA[s]);
            route(s);
            return;
        }
        refused(s, instance);
    }

    /** A connection to a dead instance is refused at once. */
    private void refused(int s, int instance) {
        if (instance >= dns0) {
            // a replica that does not answer: the resolver waits for its timeout, then asks the next
            sPhase[s] = RETRY_DNS;
            events.add(now + sc.resolverTimeoutS(), encode(RESUME, 0, s));
            return;
        }
        failed(s);
    }

    private void completed(int s) {
        requests++;
        if (now >= steadyFrom && now < steadyTo) {
            completedSteady++;
        }
        double latency = now - sStart[s] + hops * delayS;
        latencyUs.recordValue(Math.max(1, Math.round(latency * 1e6)));
        lastEnd = Math.max(lastEnd, now + hops * delayS);
        releaseAll(s);
        next(s);
    }

    private void failed(int s) {
        if (sPhase[s] != WORK) {
            // the token request or the lookup failed: the session makes none of its requests
            endSession(s);
            return;
        }
        requests++;
        errors++;
        if (now >= firstFault) {
            errorsAfterFault++;
            double second = Math.floor(now);
            if (Double.isNaN(firstErrorS)) {
                firstErrorS = second;
            }
            lastErrorS = Math.max(lastErrorS, second);
        }
        lastEnd = Math.max(lastEnd, now);
        releaseAll(s);
        next(s);
    }

    private void next(int s) {
        if (--sLeft[s] > 0) {
            afterResponse(s, hops, WORK);
        } else {
            endSession(s);
        }
    }

    private void afterResponse(int s, int hopsBack, int phase) {
        sPhase[s] = phase;
        if (delayS > 0) {
            events.add(now + hopsBack * delayS, encode(RESUME, 0, s));
        } else {
            resume(s);
        }
    }

    private void resume(int s) {
        switch (sPhase[s]) {
            case WORK -> startRequest(s);
            case RESOLVE -> resolve(s, 1);
            case RETRY_DNS -> {
                if (++sTry[s] < replicas) {
                    askReplica(s);
                } else {
                    endSession(s);
                }
            }
            case ANSWERED -> {
                int name = sName[s];
                answered(s, name, name == 0 ? sA[s] : sB[s]);
            }
            default -> throw new IllegalStateException("phase " + sPhase[s]);
        }
    }

    private void endSession(int s) {
        active--;
        freeSlots[freeCount++] = s;
    }

    private int allocate() {
        if (freeCount > 0) {
            return freeSlots[--freeCount];
        }
        if (slotsUsed == sClient.length) {
            int size = slotsUsed * 2;
            sClient = Arrays.copyOf(sClient, size);
            sSession = Arrays.copyOf(sSession, size);
            sLeft = Arrays.copyOf(sLeft, size);
            sNext = Arrays.copyOf(sNext, size);
            sStage = Arrays.copyOf(sStage, size);
            sPhase = Arrays.copyOf(sPhase, size);
            sName = Arrays.copyOf(sName, size);
            sTry = Arrays.copyOf(sTry, size);
            sA = Arrays.copyOf(sA, size);
            sB = Arrays.copyOf(sB, size);
            sStart = Arrays.copyOf(sStart, size);
            freeSlots = Arrays.copyOf(freeSlots, size);
        }
        return slotsUsed++;
    }

    // ---- balancing -----------------------------------------------------------------------------------------------

    private int choose(int view) {
        int count = healthyCount[view];
        MinTree tree = trees[view];
        if (tree != null) {
            // least-loaded and least-connections: both count the choice at once
            int server = tree.min();
            if (Double.isInfinite(tree.minKey())) {
                server = random.nextInt(n);
            } else if (view == VIEW_DNS_A || view == VIEW_DNS_B) {
                tree.set(server, tree.get(server) + 1);
            } else {
                tree.set(server, (Math.floor(tree.get(server) / LEAST_CONNECTIONS_SCALE) + 1) * LEAST_CONNECTIONS_SCALE
                        + (++picks % LEAST_CONNECTIONS_SCALE));
            }
            return server;
        }
        if (count == 0) {
            // every server down: peak-dns answers from all of them rather than nothing, as do the proxies
            return random.nextInt(n);
        }
        boolean dns = view == VIEW_DNS_A || view == VIEW_DNS_B;
        Policy policy = dns ? sc.policy() : Policy.ROUND_ROBIN;
        return switch (policy) {
            case ROUND_ROBIN -> healthyList[view][(int) (cursor[view]++ % count)];
            case RANDOM -> healthyList[view][random.nextInt(count)];
            case WEIGHTED -> {
                double[] cumulative = cumulativeWeights[view];
                double u = random.nextDouble() * cumulative[count - 1];
                int i = Arrays.binarySearch(cumulative, 0, count, u);
                yield healthyList[view][i >= 0 ? Math.min(i + 1, count - 1) : -i - 1];
            }
            case LEAST_LOADED -> throw new IllegalStateException("least-loaded has a tree");
        };
    }

    /**
     * A proxy whose connection to {@code refused} was refused tries the next servers its policy gives, other than
     * that one (up to HAProxy's 3 retries); its health checks will take the server out later.
     */
    private int redispatch(int refused) {
        MinTree tree = trees[VIEW_PROXY];
        double key = tree == null ? 0 : tree.get(refused);
        if (tree != null) {
            tree.set(refused, Double.POSITIVE_INFINITY);
        }
        int server = refused;
        for (int retry = 0; retry < 3 && (server == refused || !alive[server]); retry++) {
            server = choose(VIEW_PROXY);
        }
        if (tree != null) {
            tree.set(refused, Math.max(0, key - LEAST_CONNECTIONS_SCALE));
        }
        return server;
    }

    /** The request is back from the servers the least-connections balancers sent it to. */
    private void releaseAll(int s) {
        if (trees[VIEW_PROXY] == null) {
            return;
        }
        if (architecture == Architecture.PROXY || architecture == Architecture.MESH) {
            release(VIEW_PROXY, sA[s]);
        }
        if (architecture == Architecture.MESH && withB && sStage[s] >= 4) {
            release(VIEW_SIDECARS, sB[s]);
        }
    }

    private void release(int view, int server) {
        MinTree tree = trees[view];
        if (tree == null || Double.isInfinite(tree.get(server))) {
            return;
        }
        tree.set(server, Math.max(0, tree.get(server) - LEAST_CONNECTIONS_SCALE));
    }

    private void rebuildHealthy(int view) {
        int count = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (healthy[view][i]) {
                healthyList[view][count] = i;
                // weighted: a server's weight is its CPUs, the same for all in one deployment
                total += sc.deployment().serverCpus();
                cumulativeWeights[view][count] = total;
                count++;
            }
        }
        healthyCount[view] = count;
    }

    private void health(int view, int server, boolean up) {
        healthy[view][server] = up;
        rebuildHealthy(view);
        MinTree tree = trees[view];
        if (tree != null) {
            if (!up) {
                tree.set(server, Double.POSITIVE_INFINITY);
            } else {
                tree.set(server, view == VIEW_DNS_A || view == VIEW_DNS_B ? inProgress[instanceOf(view, server)]
                        : (++picks % LEAST_CONNECTIONS_SCALE));
            }
        }
    }

    /** peak-dns reads every server's in-flight gauge; the answers given since start again from 0. */
    private void snapshot() {
        for (int view : new int[] {VIEW_DNS_A, VIEW_DNS_B}) {
            for (int i = 0; i < n; i++) {
                // a random fraction below 1 orders the servers of equal load at random until the next reading
                trees[view].set(i, healthy[view][i] ? inProgress[instanceOf(view, i)] + random.nextDouble()
                        : Double.POSITIVE_INFINITY);
            }
        }
        if (active > 0 || arrived < sc.sessions()) {
            events.add(now + sc.healthIntervalS(), encode(SNAPSHOT, 0, 0));
        }
    }

    private int instanceOf(int view, int server) {
        return view == VIEW_DNS_B || view == VIEW_SIDECARS ? n + server : server;
    }

    // ---- faults --------------------------------------------------------------------------------------------------

    private void fault(Fault fault) {
        switch (fault.kind()) {
            case KILL_SERVER, RESTART_SERVER -> {
                if (fault.target() >= n) {
                    throw new IllegalArgumentException("there is no server " + fault.target() + " of " + n);
                }
                // the serving service's instance: B when there is one, as the lab kills
                int instance = (withB ? n : 0) + fault.target();
                boolean up = fault.kind() == Fault.Kind.RESTART_SERVER;
                if (up) {
                    alive[instance] = true;
                } else {
                    kill(instance);
                }
                for (int view : withB ? new int[] {VIEW_DNS_B, VIEW_SIDECARS} : new int[] {VIEW_DNS_A, VIEW_PROXY}) {
                    // the checker's probes fall on its own phase; the server changes state at the fall-th (rise-th)
                    double interval = sc.healthIntervalS();
                    double phase = probePhase[view][fault.target()];
                    double firstProbe = phase + Math.ceil((now - phase) / interval) * interval;
                    double at = firstProbe + ((up ? sc.rise() : sc.fall()) - 1) * interval;
                    events.add(at, encode(up ? HEALTH_UP : HEALTH_DOWN, (view << 24) | fault.target(), 0));
                }
            }
            case KILL_DNS_REPLICA -> {
                if (fault.target() >= replicas) {
                    throw new IllegalArgumentException("there is no peak-dns replica " + fault.target() + " of " + replicas);
                }
                kill(dns0 + fault.target());
            }
        }
    }

    /** The process is gone: what waited in its queue is refused, what it was serving fails when its time is up. */
    private void kill(int instance) {
        alive[instance] = false;
        for (int s = queueHead[instance]; s >= 0; ) {
            int next = sNext[s];
            inProgress[instance]--;
            lost(s, instance);
            s = next;
        }
        queueHead[instance] = -1;
        queueTail[instance] = -1;
    }

    // ---- results -------------------------------------------------------------------------------------------------

    private SimulationResult result(double wallS) {
        double duration = Math.max(lastEnd, 1e-9);
        double maxU = 0;
        int busiest = 0;
        for (int i = 0; i < cores.length; i++) {
            // what it served in the steady window (not while the first sessions ramp up or the last drain), at the
            // mean CPU time of a visit: the service times' own noise would make the busiest of 10,000 servers look
            // busier than its share of the load makes it
            double u = servedSteady[i] * demandUs[i] * 1e-6 / (speed[i] * cores[i] * (steadyTo - steadyFrom));
            if (u > maxU) {
                maxU = u;
                busiest = i;
            }
        }
        int servingOffset = withB ? n : 0;
        double sum = 0;
        double squares = 0;
        long most = 0;
        long least = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            long c = served[servingOffset + i];
            sum += c;
            squares += (double) c * c;
            most = Math.max(most, c);
            least = Math.min(least, c);
        }
        double jain = squares == 0 ? 1 : sum * sum / (n * squares);
        double maxMin = least == 0 ? (most == 0 ? 1 : Double.POSITIVE_INFINITY) : (double) most / least;
        double window = Double.isNaN(firstErrorS) ? 0 : lastErrorS - firstErrorS + 1;
        return new SimulationResult(duration, requests, errors, (requests - errors) / duration,
                latencyUs.getTotalCount() == 0 ? Double.NaN : latencyUs.getMean() / 1000, percentileMs(50),
                percentileMs(90), percentileMs(99), maxU, name(busiest),
                maxU > 0 ? completedSteady / (steadyTo - steadyFrom) / maxU : Double.POSITIVE_INFINITY, jain, maxMin,
                dnsQueries,
                dnsQueries / duration, window, errorsAfterFault, eventCount, wallS);
    }

    private double percentileMs(double p) {
        return latencyUs.getTotalCount() == 0 ? Double.NaN : latencyUs.getValueAtPercentile(p) / 1000.0;
    }

    private String name(int instance) {
        if (instance < n) {
            return "a-" + (instance + 1);
        } else if (instance < 2 * n) {
            return "b-" + (instance - n + 1);
        } else if (instance < 3 * n) {
            return "sidecar-a-" + (instance - 2 * n + 1);
        } else if (instance < 4 * n) {
            return "sidecar-b-" + (instance - 3 * n + 1);
        } else if (instance == proxy) {
            return architecture == Architecture.MESH ? "ingress" : "proxy";
        }
        return "peak-dns-" + (instance - dns0 + 1);
    }
}
