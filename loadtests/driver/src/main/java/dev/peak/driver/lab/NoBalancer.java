package dev.peak.driver.lab;

/** RI1 direct: the clients call A's first instance; nothing balances, which is the baseline's point. */
final class NoBalancer implements Balancer {

    @Override
    public void start() {
    }

    @Override
    public void reconfigure(int previous) {
    }

    @Override
    public String entry() {
        return Lab.url(Addresses.service('a', 1), Addresses.SERVICE_PORT);
    }
}
