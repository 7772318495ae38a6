package dev.peak.driver.lab;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.peak.driver.lab.proxy.HaproxyConfig;
import dev.peak.driver.lab.proxy.Listen;
import dev.peak.driver.lab.proxy.NginxConfig;
import dev.peak.driver.variant.BudgetClass;
import dev.peak.driver.variant.Component;
import dev.peak.driver.variant.Variant;

/** RI1 through a reverse proxy: HAProxy or nginx on the entry address, with every A instance as an upstream. */
final class ReverseProxyBalancer implements Balancer {

    private final Lab lab;
    private final boolean haproxy;
    private final String name;
    private final HaproxyRuntime runtime = new HaproxyRuntime();

    ReverseProxyBalancer(Lab lab) {
        this.lab = lab;
        this.haproxy = lab.options().variant().entry() == Variant.Entry.HAPROXY;
        this.name = haproxy ? "haproxy" : "nginx";
    }

    @Override
    public void prepare() {
        lab.namespace().addAddress(Addresses.ENTRY);
    }

    @Override
    public void start() {
        Path config = writeConfig();
        // nginx -e: it opens its error log before reading the config, and the default path is not ours
        lab.startProcess(name, Component.PROXY, Addresses.ENTRY, Addresses.SERVICE_PORT, haproxy
                ? HaproxyRuntime.command(config)
                : List.of("nginx", "-p", config.getParent().toString(), "-c", config.toString(), "-e", "stderr"));
    }

    /** HAProxy reloads on SIGUSR2, nginx on SIGHUP; both keep serving while they do. */
    @Override
    public void reconfigure(int previous) {
        writeConfig();
        lab.signal(name, haproxy ? "USR2" : "HUP");
    }

    /** The config for the servers running now. */
    private Path writeConfig() {
        Path dir = lab.configDir("proxy");
        Listen listen = new Listen(Addresses.ENTRY, Addresses.SERVICE_PORT);
        int threads = lab.options().budgets().processors(BudgetClass.PROXY);
        var upstreams = lab.upstreams('a', Addresses.SERVICE_PORT);
        if (haproxy) {
            return ConfigFile.write(dir.resolve("haproxy.cfg"), HaproxyConfig.reverseProxy(listen, upstreams,
                    lab.options().balance(), threads, runtime.dir(name)));
        }
        return ConfigFile.write(dir.resolve("nginx.conf"),
                NginxConfig.reverseProxy(listen, upstreams, lab.options().balance(), threads, dir));
    }

    @Override
    public Optional<String> proxy() {
        return Optional.of(name);
    }

    @Override
    public String entry() {
        return Lab.url(Addresses.ENTRY, Addresses.SERVICE_PORT);
    }

    /** HAProxy's stats socket; nginx keeps no such state (its checks are passive). */
    @Override
    public List<String> notInRotation(Instance instance) {
        return runtime.notUp(instance.name());
    }

    @Override
    public void close() {
        runtime.delete();
    }
}
