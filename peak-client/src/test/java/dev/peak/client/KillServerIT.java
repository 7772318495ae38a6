package dev.peak.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server killed under a steady loop of client sessions, counted without failover and with it. The servers live on
 * lab addresses, so the loop ({@link KillServerLoop}) runs in a private network namespace this test makes (unshare;
 * a user namespace too when not root), with the addresses on its {@code lo}: nothing reaches the host's network.
 */
class KillServerIT {

    private static final Map<String, Long> RESULTS = new HashMap<>();
    private static String output;

    @BeforeAll
    static void killAServerInAPrivateNamespace() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "kill-server"));
        boolean root = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        List<String> command = new java.util.ArrayList<>(List.of("unshare", "--net"));
        if (!root) {
            command.addAll(List.of("--user", "--map-root-user"));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String addresses = "";
        for (var address : List.of(KillServerLoop.ONE, KillServerLoop.TWO, KillServerLoop.DNS)) {
            addresses += " && ip addr add " + address.getHostAddress() + "/128 dev lo nodad";
        }
        command.addAll(List.of("--", "sh", "-c", "ip link set lo up" + addresses + " && exec \"$0\" -cp \"$1\" "
                + KillServerLoop.class.getName(), java, System.getProperty("java.class.path")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("output.log").toFile());
        builder.environment().put("HOST_NETNS", Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
        Process process = builder.start();
        boolean ended = process.waitFor(2, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        output = Files.readString(dir.resolve("output.log"));
        System.out.println(output);
        assertTrue(ended && process.exitValue() == 0, "the loop did not run to its end (unshare and ip from "
                + "util-linux and iproute2; user namespaces when not root):\n" + output);
        for (String line : output.split("\n")) {
            if (line.startsWith("result ")) {
                String[] parts = line.split(" ");
                RESULTS.put(parts[1], Long.parseLong(parts[2].strip()));
            }
        }
    }

    private static long result(String name) {
        Long value = RESULTS.get(name);
        assertTrue(value != null, "no " + name + " in:\n" + output);
        return value;
    }

    @Test
    void withoutFailoverTheDeadServersClientsFailUntilTheirAnswerIsGone() {
        assertTrue(result("plain.requests") > 1_000, "the loop ran: " + output);
        assertTrue(result("plain.errors") > 0, "a client without failover keeps the dead server for the TTL");
        assertEquals(0, result("plain.errorsAfterTheAnswersExpired"),
                "once peak-dns names only the live server and every answer that named the dead one expired, all is well");
    }

    @Test
    void withFailoverNoRequestFails() {
        assertTrue(result("failover.requests") > 1_000, "the loop ran: " + output);
        assertEquals(0, result("failover.errors"), "every request that met the dead server was sent to the live one");
    }
}
