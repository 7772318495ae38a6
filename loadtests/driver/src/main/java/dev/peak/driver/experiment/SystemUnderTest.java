package dev.peak.driver.experiment;

import java.util.List;
import java.util.Map;

import dev.peak.driver.cpu.CpuEnforcement;
import dev.peak.driver.cpu.CpuReading;

/**
 * One variant up and running, as the experiment drives it: in the local lab, or deployed on a Kubernetes
 * cluster. These are the only operations the staircase and the fault runs need.
 */
public interface SystemUnderTest extends AutoCloseable {

    /** Instances of each service now (A, and B in the RI2 variants). */
    int servers();

    /** Runs {@code servers} instances of each service; returns once the load balancer sends traffic to all of them. */
    void scaleTo(int servers);

    /** Kills one server instance without warning, e.g. {@code a-2}: a crash the load balancer must notice by itself. */
    void kill(String instance);

    /** Kills the RI1 proxy or the mesh's ingress. */
    void killProxy();

    /** Kills peak-dns replica {@code replica} (1-based) of a PEAK variant. */
    void killDnsReplica(int replica);

    /** What a client needs to find the variant: PEAK_ENTRY, PEAK_ENTRY_B, PEAK_DNS_SERVERS, PEAK_INSTANCES, ... */
    Map<String, String> environment();

    /** {@code command} as the load generator must run it beside the driver (in the lab: under its CPU budget). */
    List<String> asLoad(List<String> command);

    /**
     * Every instance's CPU counters now, by instance name (the load generator's included), for the cost of a
     * request by component; empty where the platform cannot read them.
     */
    Map<String, CpuReading> cpuUsage();

    /**
     * Has every peak-dns replica answer enough queries to compile its query path, which the clients' one query per
     * session cannot do in a warm-up; a no-op without peak-dns, or where the driver cannot reach it.
     */
    void warmDns();

    /**
     * CPU time the JIT compilers of each of the system's JVMs have used so far, by instance, the generator's not
     * included; empty where the platform cannot read it. A warm-up goes on until they are quiet.
     */
    Map<String, Long> compilerNanos();

    /** Lets the system run without its CPU budgets, for a warm-up; a no-op where the platform sets them. */
    void liftBudgets();

    /** Puts the CPU budgets back, enforced as {@code enforcement} says; a no-op where the platform sets them. */
    void restoreBudgets(CpuEnforcement enforcement);

    /** Undoes what bringing the variant up did: stops the lab, or restores the cluster's replica counts. */
    @Override
    void close();
}
