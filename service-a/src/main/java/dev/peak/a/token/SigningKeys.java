package dev.peak.a.token;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;

/**
 * The private JWK set every service-a replica shares, read once (SmallRye's no-argument {@code sign()}
 * would re-read it for every token). It holds the key that signs, named by
 * {@code smallrye.jwt.sign.key.id}, and may hold older keys whose public halves stay published so
 * that tokens they signed still verify after a rotation.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    /** What the loaded set offers: the signing key and the public JWKS document. */
    public record Loaded(String kid, SignatureAlgorithm algorithm, PrivateKey signingKey, String publicJwks) {
    }

    private final String location;
    private final String signingKid;
    private final String algorithmName;
    private volatile Loaded loaded;
    private volatile String problem = "signing keys not loaded yet";

    public SigningKeys(
            @ConfigProperty(name = "smallrye.jwt.sign.key.location", defaultValue = "keys/signing-jwks.json") String location,
            @ConfigProperty(name = "smallrye.jwt.sign.key.id", defaultValue = "rs256-1") String signingKid,
            @ConfigProperty(name = "smallrye.jwt.new-token.signature-algorithm", defaultValue = "RS256") String algorithmName) {
        this.location = location;
        this.signingKid = signingKid;
        this.algorithmName = algorithmName;
    }

    void onStart(@Observes StartupEvent event) {
        if (load() == null) {
            LOG.errorf("service-a cannot sign tokens and stays not ready: %s", problem);
        }
    }

    /** The loaded keys, loading them first if an earlier attempt failed; null while they cannot be loaded. */
    public Loaded load() {
        Loaded current = loaded;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (loaded == null) {
                try {
                    loaded = read();
                    LOG.infof("signing with kid %s (%s); publishing %s", signingKid, algorithmName, location);
                } catch (IllegalStateException e) {
                    problem = e.getMessage();
                }
            }
            return loaded;
        }
    }

    /** Why the keys are not loaded, for readiness and error responses. */
    public String problem() {
        return problem;
    }

    private Loaded read() {
        SignatureAlgorithm algorithm = parseAlgorithm(algorithmName);
        JsonWebKeySet set = parseSet(readLocation());
        List<JsonWebKey> keys = set.getJsonWebKeys();
        JsonWebKey chosen = keys.stream().filter(k -> signingKid.equals(k.getKeyId())).findFirst()
                .orElseThrow(() -> new IllegalStateException("smallrye.jwt.sign.key.id=" + signingKid + " names no key in "
                        + location + " (kids there: " + keys.stream().map(JsonWebKey::getKeyId).collect(Collectors.toList()) + ")"));
        if (!(chosen instanceof PublicJsonWebKey pair) || pair.getPrivateKey() == null) {
            throw new IllegalStateException("key " + signingKid + " in " + location + " has no private part: point "
                    + "smallrye.jwt.sign.key.location at the private set (signing-jwks.json), not the public JWKS");
        }
        String expectedType = keyTypeFor(algorithm);
        if (!expectedType.equals(chosen.getKeyType())) {
            throw new IllegalStateException("key " + signingKid + " is of type " + chosen.getKeyType() + " but "
                    + algorithm.getAlgorithm() + " needs a " + expectedType + " key");
        }
        String publicJwks = new JsonWebKeySet(keys.stream().map(SigningKeys::publicOnly).collect(Collectors.toList())).toJson();
        return new Loaded(signingKid, algorithm, pair.getPrivateKey(), publicJwks);
    }

    private String readLocation() {
        Path path = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the signing key set at " + path.toAbsolutePath()
                    + " (smallrye.jwt.sign.key.location): " + e + "; run 'make keys' to create one");
        }
    }

    private JsonWebKeySet parseSet(String json) {
        try {
            return new JsonWebKeySet(json);
        } catch (JoseException e) {
            throw new IllegalStateException(location + " is not a JWK set: " + e.getMessage());
        }
    }

    private static JsonWebKey publicOnly(JsonWebKey key) {
        try {
            return JsonWebKey.Factory.newJwk(key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        } catch (JoseException e) {
            throw new IllegalStateException("cannot publish key " + key.getKeyId() + ": " + e.getMessage());
        }
    }

    static SignatureAlgorithm parseAlgorithm(String name) {
        // Case-insensitive: SmallRye's config spells EdDSA as the enum constant EDDSA.
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "ES256" -> SignatureAlgorithm.ES256;
            case "EDDSA" -> SignatureAlgorithm.EDDSA;
            case "RS256" -> SignatureAlgorithm.RS256;
            default -> throw new IllegalStateException("smallrye.jwt.new-token.signature-algorithm=" + name
                    + " is not supported here: use ES256, EdDSA or RS256");
        };
    }

    private static String keyTypeFor(SignatureAlgorithm algorithm) {
        return switch (algorithm) {
            case ES256 -> "EC";
            case EDDSA -> "OKP";
            default -> "RSA";
        };
    }
}
