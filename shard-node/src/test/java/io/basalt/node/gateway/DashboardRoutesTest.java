package io.basalt.node.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dashboard's files on the gateway: types, caching, the security policy, and the JSON 404 for anything else. */
@Timeout(30)
class DashboardRoutesTest {
    private static final Map<String, String> FILES = Map.of(
        "/dashboard/", "text/html; charset=utf-8",
        "/dashboard/dashboard.js", "text/javascript; charset=utf-8",
        "/dashboard/dashboard.css", "text/css; charset=utf-8",
        "/dashboard/favicon.svg", "image/svg+xml");

    private final HttpClient http = HttpClient.newHttpClient();
    private HttpGateway gateway;
    private URI base;

    @BeforeEach
    void start() {
        gateway = new HttpGateway(new FakeNode(), new InetSocketAddress("127.0.0.1", 0), null, TestTransactions.genesis());
        gateway.start();
        base = URI.create("http://127.0.0.1:" + gateway.port());
    }

    @AfterEach
    void stop() {
        gateway.close();
        http.shutdownNow();
    }

    private HttpResponse<byte[]> send(final String method, final String path, final String ifNoneMatch) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesEachFileWithItsTypeCachingAndPolicy() throws Exception {
        for (final Map.Entry<String, String> file : FILES.entrySet()) {
            final HttpResponse<byte[]> response = send("GET", file.getKey(), null);
            assertEquals(200, response.statusCode(), file.getKey());
            assertEquals(file.getValue(), response.headers().firstValue("Content-Type").orElseThrow(), file.getKey());
            assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElseThrow());
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertTrue(response.headers().firstValue("ETag").orElseThrow().matches("\"[0-9a-f]{32}\""));
            assertEquals("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' ws://"
                    + base.getAuthority() + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                response.headers().firstValue("Content-Security-Policy").orElseThrow());
            final String name = file.getKey().endsWith("/") ? "index.html" : file.getKey().substring("/dashboard/".length());
            try (InputStream resource = DashboardAssets.class.getResourceAsStream("dashboard/" + name)) {
                assertArrayEquals(resource.readAllBytes(), response.body(), "the classpath file " + name);
            }
        }
        assertArrayEquals(send("GET", "/dashboard/", null).body(), send("GET", "/dashboard", null).body(), "/dashboard is the page");
    }

    @Test
    void thePageNeedsNothingThePolicyForbids() throws Exception {
        final String html = new String(send("GET", "/dashboard/", null).body(), java.nio.charset.StandardCharsets.UTF_8);
        final Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(html);
        int count = 0;
        while (scripts.find()) {
            assertTrue(scripts.group(1).contains("src=\"/dashboard/"), "an inline or foreign script: " + scripts.group());
            count++;
        }
        assertEquals(1, count, "scripts in the page");
        assertFalse(html.contains("style=") || html.contains("<style") || Pattern.compile("\\son[a-z]+=").matcher(html).find(),
            "inline style or event handler");
        final Matcher links = Pattern.compile("(?:href|src)=\"([^\"]*)\"").matcher(html);
        while (links.find()) {
            assertEquals(200, send("GET", links.group(1), null).statusCode(), "the page refers to " + links.group(1));
        }
    }

    @Test
    void revalidationAndHead() throws Exception {
        final String etag = send("GET", "/dashboard/dashboard.js", null).headers().firstValue("ETag").orElseThrow();
        final HttpResponse<byte[]> unchanged = send("GET", "/dashboard/dashboard.js", etag);
        assertEquals(304, unchanged.statusCode());
        assertEquals(0, unchanged.body().length);
        assertEquals(etag, unchanged.headers().firstValue("ETag").orElseThrow());
        assertEquals(200, send("GET", "/dashboard/dashboard.js", "\"0123\"").statusCode(), "another version");
        assertEquals(200, send("GET", "/dashboard/dashboard.css", etag).statusCode(), "another file's tag");
        final HttpResponse<byte[]> head = send("HEAD", "/dashboard/", null);
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
    }

    @Test
    void anyOtherPathIsTheJson404AndOtherMethods405() throws Exception {
        final ObjectMapper json = new ObjectMapper();
        for (final String path : new String[] {"/dashboard/nope.js", "/dashboard/dashboard.js/x", "/dashboard/DASHBOARD.JS",
            "/dashboardx"}) {
            final HttpResponse<byte[]> response = send("GET", path, null);
            assertEquals(404, response.statusCode(), path);
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow(), path);
            assertEquals("NOT_FOUND", json.readTree(response.body()).get("code").asText(), path);
        }
        final HttpResponse<byte[]> post = send("POST", "/dashboard/", null);
        assertEquals(405, post.statusCode());
        assertEquals("METHOD_NOT_ALLOWED", json.readTree(post.body()).get("code").asText());
    }

    @Test
    void aHostHeaderThatIsNotAHostLeavesTheWebSocketSourceOut() {
        assertTrue(DashboardAssets.contentSecurityPolicy("node-1.example:8080").contains("connect-src 'self' ws://node-1.example:8080;"));
        assertTrue(DashboardAssets.contentSecurityPolicy("[::1]:8080").contains("ws://[::1]:8080;"));
        for (final String bad : new String[] {null, "", "a; script-src *", "a b", "x:1/y", "h:123456"}) {
            assertTrue(DashboardAssets.contentSecurityPolicy(bad).contains("connect-src 'self'; "), String.valueOf(bad));
        }
    }
}
