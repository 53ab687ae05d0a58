package io.basalt.node.gateway;

import io.basalt.crypto.Hex;
import io.basalt.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The files of the live dashboard (docs/dashboard.md), read once from the classpath
 * ({@code io/basalt/node/gateway/dashboard/}) and served under {@link #PREFIX}. Only the names
 * listed here exist: a request for any other path under the prefix is the JSON 404, so no request
 * can reach another classpath resource.
 *
 * <p>Caching: {@code Cache-Control: no-cache} with a strong ETag (the SHA-256 of the bytes), so a
 * browser revalidates on every load and gets a 304 while the node runs the same build. Every file
 * carries the {@link #contentSecurityPolicy} and {@code X-Content-Type-Options: nosniff}.
 */
final class DashboardAssets {
    static final String PREFIX = "/dashboard";
    /** A Host header we are willing to echo into the policy: a host name or address, and a port. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]{1,253}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]{2,45}\\](:[0-9]{1,5})?");

    record Asset(String contentType, byte[] bytes, String etag) {
    }

    private static final Map<String, String> TYPES = Map.of(
        "index.html", "text/html; charset=utf-8",
        "dashboard.js", "text/javascript; charset=utf-8",
        "dashboard.css", "text/css; charset=utf-8",
        "favicon.svg", "image/svg+xml");

    private final Map<String, Asset> assets;

    DashboardAssets() {
        final java.util.HashMap<String, Asset> read = new java.util.HashMap<>();
        TYPES.forEach((name, type) -> read.put(name, load(name, type)));
        assets = Map.copyOf(read);
    }

    /**
     * The asset at {@code path} ({@code /dashboard} and {@code /dashboard/} are the page), or null when
     * the path is under the prefix but names no asset. Call only with paths under {@link #PREFIX}.
     */
    Asset find(final String path) {
        final String rest = path.substring(PREFIX.length());
        if (rest.isEmpty() || "/".equals(rest)) {
            return assets.get("index.html");
        }
        return rest.charAt(0) == '/' ? assets.get(rest.substring(1)) : null;
    }

    static boolean isUnder(final String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /**
     * Scripts, styles and fetches from this origin only, and the WebSocket of the same host (named
     * explicitly: not every browser counts ws: of the page's host as 'self'). Nothing inline, no
     * frames, no forms. A Host header that is not a plain host[:port] leaves the ws: source out.
     */
    static String contentSecurityPolicy(final String host) {
        final String ws = host != null && HOST.matcher(host).matches() ? " ws://" + host : "";
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'" + ws
            + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /** Whether an If-None-Match header names this asset's current version. */
    static boolean matches(final String ifNoneMatch, final Asset asset) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
            .anyMatch(tag -> tag.equals(asset.etag()) || tag.equals("*"));
    }

    private static Asset load(final String name, final String type) {
        final String resource = "dashboard/" + name;
        try (InputStream in = DashboardAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("dashboard asset missing from the classpath: " + resource);
            }
            final byte[] bytes = in.readAllBytes();
            final byte[] digest = new byte[Sha256.DIGEST_BYTES];
            Sha256.perThread().digest(bytes, 0, bytes.length, digest, 0);
            return new Asset(type, bytes, "\"" + Hex.encode(digest).substring(0, 32) + "\"");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read dashboard asset " + resource, e);
        }
    }
}
