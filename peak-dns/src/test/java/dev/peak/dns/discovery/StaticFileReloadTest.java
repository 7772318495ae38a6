package dev.peak.dns.discovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import dev.peak.dns.Await;
import dev.peak.dns.Dns;
import dev.peak.dns.LoopbackLab;
import dev.peak.dns.server.DnsServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The static file is reloaded when it changes (here every 200 ms), a broken file keeps the last good
 * answers and says why in readiness data. Every test puts the lab's file back as it found it.
 */
@QuarkusTest
@WithTestResource(LoopbackLab.class)
class StaticFileReloadTest {

    private static final Duration RELOAD = Duration.ofSeconds(2);
    private static final String FRESH = "fresh." + LoopbackLab.ZONE;

    @Inject
    DnsServer server;

    private Path file;
    private String original;

    @BeforeEach
    void rememberTheFile() throws IOException {
        file = Path.of(ConfigProvider.getConfig().getValue("peak.dns.static.file", String.class));
        original = Files.readString(file);
    }

    @AfterEach
    void restoreTheFile() throws IOException {
        write(original);
        Await.until(RELOAD, () -> problem() == null && rcode(FRESH) == Rcode.NXDOMAIN, () -> "the lab's file back in force");
    }

    @Test
    void rewrittenFileIsReloaded() throws IOException {
        assertEquals(Rcode.NXDOMAIN, rcode(FRESH));
        write(original + "  fresh:\n    health: {interval: 0}\n    endpoints: [\"fd00:70ea::f:1\"]\n");
        long took = Await.until(RELOAD, () -> rcode(FRESH) == Rcode.NOERROR, () -> "fresh answered");
        assertTrue(took <= RELOAD.toMillis());
        assertEquals(java.util.List.of(Dns.printed("fd00:70ea::f:1")), Dns.addresses(Dns.ask(server.udpPort(), false, FRESH, Type.AAAA)));
    }

    @Test
    void brokenRewriteKeepsTheLastGoodAnswersAndSaysWhy() throws IOException {
        write(original + "  fresh:\n    health: {interval: 0}\n    endpoints: [\"fd00:70ea::f:1\"]\n");
        Await.until(RELOAD, () -> rcode(FRESH) == Rcode.NOERROR, () -> "fresh answered");

        write(original + "  broken:\n    answer-size: 17\n");
        Await.until(RELOAD, () -> problem() != null, () -> "a problem reported");
        assertTrue(problem().contains("services.broken.answer-size"), problem());
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'peak-dns' }.data.staticFileProblem", containsString("answer-size"));
        assertEquals(Rcode.NOERROR, rcode(FRESH), "the last good file still answers");
        assertEquals(Rcode.NXDOMAIN, rcode("broken." + LoopbackLab.ZONE), "nothing of the broken file is used");

        write("services: [\n");
        Await.until(RELOAD, () -> problem() != null && problem().contains("not valid YAML"), () -> "YAML problem: " + problem());
        assertEquals(Rcode.NOERROR, rcode(FRESH));
    }

    @Test
    void staticFileProblemClearsWhenTheFileComesBackUnchanged() throws IOException {
        // A ConfigMap update can leave the path briefly missing; once the same content is back, the
        // services in force come from the current file and readiness must stop reporting a problem.
        Files.delete(file);
        Await.until(RELOAD, () -> problem() != null, () -> "missing file reported");
        assertEquals(Rcode.NOERROR, rcode("a." + LoopbackLab.ZONE), "answers go on from the last good file");
        write(original);
        Await.until(RELOAD, () -> problem() == null, () -> "problem cleared, still: " + problem());
    }

    private int rcode(String name) {
        Message response = Dns.ask(server.udpPort(), false, name, Type.AAAA);
        return response.getRcode();
    }

    /** The staticFileProblem readiness data, or null. */
    private static String problem() {
        JsonPath ready = given().get("/q/health/ready").then().extract().jsonPath();
        return ready.getString("checks.find { it.name == 'peak-dns' }.data.staticFileProblem");
    }

    /** Replaces the file in one step, as a ConfigMap update does. */
    private void write(String content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
