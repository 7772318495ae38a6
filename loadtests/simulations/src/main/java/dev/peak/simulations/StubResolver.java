package dev.peak.simulations;

import io.gatling.http.client.HttpListener;
import io.gatling.http.client.resolver.InetAddressNameResolver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverChannelStrategy;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Client-side DNS as a stub resolver does it: every client session asks peak-dns for the names it needs and keeps
 * the answer for its TTL, but all sessions share one resolver and one UDP socket, as the processes of a machine
 * share its resolver library and its network. Only AAAA is asked: the lab is IPv6-only, and one query per name
 * keeps peak-dns's query count at one per session per TTL.
 *
 * <p>It replaces Gatling's per-user resolution ({@code perUserNameResolution()}), which builds a resolver and a
 * UDP channel for every virtual user: that made PEAK's clients dearer than the proxies' for a reason that is not
 * the architecture. Each session gets its {@link #newClient() own cache} through the session attribute Gatling's
 * HTTP engine reads its resolver from ({@value #GATLING_RESOLVER_ATTRIBUTE}; Gatling 3.14's
 * {@code DnsCacheSupport}). SimulationRunIT fails if that attribute stops being read.
 */
final class StubResolver implements AutoCloseable {

    /** Where Gatling's HTTP engine finds a virtual user's name resolver. */
    static final String GATLING_RESOLVER_ATTRIBUTE = "gatling.http.cache.dns";

    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final DnsNameResolver resolver;

    /**
     * @param servers      peak-dns replicas, asked in this order: the next one when one does not answer in time
     * @param queryTimeout how long to wait for one replica, as glibc's {@code options timeout}
     */
    StubResolver(List<InetSocketAddress> servers, Duration queryTimeout) {
        this.resolver = new DnsNameResolverBuilder(loop.next())
                .datagramChannelFactory(NioDatagramChannel::new)
                .datagramChannelStrategy(DnsNameResolverChannelStrategy.ChannelPerResolver)
                .nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers))
                .queryTimeoutMillis(queryTimeout.toMillis())
                .maxQueriesPerResolve(servers.size())
                .resolvedAddressTypes(ResolvedAddressTypes.IPV6_ONLY)
                // every lookup is a query: the sessions' own caches honour the TTL
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                // names come from peak-dns only, never from /etc/hosts
                .hostsFileEntriesResolver((name, types) -> null)
                .searchDomains(List.of())
                .build();
    }

    /** A new client's view of DNS: its own cache, this resolver's socket. */
    InetAddressNameResolver newClient() {
        return new ClientCache();
    }

    @Override
    public void close() {
        resolver.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** One client session's resolver: the addresses of each name it looked up, until their TTL runs out. */
    private final class ClientCache implements InetAddressNameResolver {
        // one virtual user's steps run one at a time: no lock needed
        private String host;
        private List<InetAddress> addresses;
        private long expiresNanos;

        @Override
        public Future<List<InetAddress>> resolveAll(String inetHost, Promise<List<InetAddress>> promise,
                                                    HttpListener listener) {
            if (inetHost.equals(host) && System.nanoTime() - expiresNanos < 0) {
                return promise.setSuccess(addresses);
            }
            resolver.resolveAll(new DefaultDnsQuestion(inetHost, DnsRecordType.AAAA)).addListener(
                    (Future<List<DnsRecord>> answer) -> {
                        if (!answer.isSuccess()) {
                            promise.tryFailure(answer.cause());
                            return;
                        }
                        List<DnsRecord> records = answer.getNow();
                        try {
                            List<InetAddress> found = new ArrayList<>(records.size());
                            long ttl = Long.MAX_VALUE;
                            for (DnsRecord record : records) {
                                if (record.type() == DnsRecordType.AAAA && record instanceof DnsRawRecord raw) {
                                    ByteBuf content = raw.content();
                                    found.add(InetAddress.getByAddress(inetHost,
                                            ByteBufUtil.getBytes(content, content.readerIndex(), content.readableBytes())));
                                    ttl = Math.min(ttl, record.timeToLive());
                                }
                            }
                            if (found.isEmpty()) {
                                promise.tryFailure(new UnknownHostException(inetHost + ": no AAAA record"));
                                return;
                            }
                            host = inetHost;
                            addresses = List.copyOf(found);
                            expiresNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(ttl);
                            promise.trySuccess(addresses);
                        } catch (UnknownHostException e) {
                            promise.tryFailure(e);
                        } finally {
                            records.forEach(ReferenceCountUtil::release);
                        }
                    });
            return promise;
        }

        @Override
        public void close() {
            // shared: closed with the simulation
        }
    }
}
