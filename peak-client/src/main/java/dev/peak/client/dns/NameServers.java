package dev.peak.client.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The peak-dns replicas a client asks, and the asking: one query per lookup, to the replica that answered last;
 * when it does not answer within the timeout, or answers SERVFAIL or REFUSED, the next one is asked, and so on
 * once round the list. Starting from the replica that answered last, not from the first every time, is what keeps a
 * dead first replica from costing every lookup one timeout (glibc's resolver pays it on every lookup).
 *
 * <p>AAAA is asked first; a name with no AAAA record is asked for A. Answers larger than a datagram are fetched
 * again over TCP (dnsjava's {@link SimpleResolver} does that on a truncated answer). Thread-safe: clients that keep
 * their own caches share one {@code NameServers}, as the processes of a machine share its resolver.
 */
public final class NameServers {

    /** How long one replica has to answer before the next is asked: glibc's default {@code options timeout} is 5 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /** The port a replica listens on when its entry gives none. */
    public static final int DNS_PORT = 53;
    /** dnsjava's system property: how long its I/O thread may sleep, in ms, before it looks at timeouts again. */
    private static final String SELECTOR_TIMEOUT = "dnsjava.nio.selector_timeout";

    static {
        // dnsjava checks its timeouts each time its selector wakes, at least once a second by default: a replica's
        // 1-s timeout would end anywhere up to 2 s. Unless the application chose, it wakes every 50 ms
        if (System.getProperty(SELECTOR_TIMEOUT) == null) {
            System.setProperty(SELECTOR_TIMEOUT, "50");
        }
    }

    private final List<InetSocketAddress> servers;
    private final List<SimpleResolver> resolvers;
    private final AtomicInteger preferred = new AtomicInteger();

    public NameServers(List<InetSocketAddress> servers, Duration timeout) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no DNS server given: name at least one peak-dns replica");
        }
        this.servers = List.copyOf(servers);
        this.resolvers = new ArrayList<>(servers.size());
        for (InetSocketAddress server : servers) {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(timeout);
            resolvers.add(resolver);
        }
    }

    /**
     * {@code "fd00:70ea::53 [::1]:5353 127.0.0.1"}: address literals, space- or comma-separated, each on port 53 or
     * {@code [address]:port}. Names are refused: they would be looked up outside peak-dns.
     */
    public static NameServers parse(String list, Duration timeout) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String entry : list.trim().split("[\\s,]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            String address = entry;
            int port = DNS_PORT;
            if (entry.startsWith("[")) {
                int close = entry.indexOf("]:");
                if (close < 0) {
                    throw new IllegalArgumentException("DNS server '" + entry + "' is not an address or [address]:port");
                }
                address = entry.substring(1, close);
                try {
                    port = Integer.parseInt(entry.substring(close + 2));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("DNS server '" + entry + "' has no port number", e);
                }
            }
            if (!Addresses.isLiteral(address) || port < 1 || port > 65535) {
                throw new IllegalArgumentException("DNS server '" + entry + "' is not an address or [address]:port");
            }
            servers.add(new InetSocketAddress(Addresses.literal(address), port));
        }
        return new NameServers(servers, timeout);
    }

    public List<InetSocketAddress> servers() {
        return servers;
    }

    /**
     * Asks for {@code host}'s addresses, as many as the answer carries, in the answer's order. The future fails with
     * an {@link UnknownHostException} when a replica said the name does not exist or has no address (asking the
     * others would not change that: they serve the same zone), or when no replica answered.
     */
    public CompletableFuture<Answer> query(String host) {
        Name name;
        try {
            name = Name.fromString(host.endsWith(".") ? host : host + ".");
        } catch (TextParseException e) {
            return CompletableFuture.failedFuture(
                    new UnknownHostException(host + ": not a DNS name (" + e.getMessage() + ")"));
        }
        return query(name, Type.AAAA).thenCompose(answer -> answer.addresses().isEmpty()
                ? query(name, Type.A) : CompletableFuture.completedFuture(answer));
    }

    private CompletableFuture<Answer> query(Name name, int type) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        ask(Message.newQuery(Record.newRecord(name, type, DClass.IN)), preferred.get(), 0, new ArrayList<>(), answer);
        return answer;
    }

    /** Asks the {@code i}-th replica from {@code first}; the next one when it fails. */
    private void ask(Message query, int first, int i, List<String> failures, CompletableFuture<Answer> answer) {
        Name name = query.getQuestion().getName();
        if (i == resolvers.size()) {
            answer.completeExceptionally(new UnknownHostException(name + ": no DNS server answered ("
                    + String.join("; ", failures) + ")"));
            return;
        }
        int index = (first + i) % resolvers.size();
        InetSocketAddress server = servers.get(index);
        // completed on dnsjava's I/O thread: what follows only hands the answer on
        resolvers.get(index).sendAsync(query, Runnable::run).whenComplete((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                failures.add(server + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
                ask(query, first, i + 1, failures, answer);
                return;
            }
            int rcode = response.getRcode();
            if (rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED) {
                failures.add(server + ": " + Rcode.string(rcode));
                ask(query, first, i + 1, failures, answer);
                return;
            }
            preferred.set(index);
            if (rcode == Rcode.NXDOMAIN) {
                answer.completeExceptionally(new UnknownHostException(name + ": no such name (NXDOMAIN from " + server + ")"));
            } else if (rcode != Rcode.NOERROR) {
                answer.completeExceptionally(new UnknownHostException(name + ": " + Rcode.string(rcode) + " from " + server));
            } else {
                try {
                    answer.complete(addresses(name, response));
                } catch (UnknownHostException e) {
                    answer.completeExceptionally(e);
                }
            }
        });
    }

    private static Answer addresses(Name name, Message response) throws UnknownHostException {
        List<InetAddress> addresses = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record record : response.getSection(Section.ANSWER)) {
            InetAddress address = record instanceof AAAARecord aaaa ? aaaa.getAddress()
                    : record instanceof ARecord a ? a.getAddress() : null;
            if (address != null) {
                // keep the name: exceptions and logs then say which service an address served
                addresses.add(InetAddress.getByAddress(name.toString(true), address.getAddress()));
                ttl = Math.min(ttl, record.getTTL());
            }
        }
        return new Answer(addresses, addresses.isEmpty() ? 0 : ttl);
    }
}
