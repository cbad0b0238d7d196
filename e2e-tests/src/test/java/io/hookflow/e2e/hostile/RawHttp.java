package io.hookflow.e2e.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection. Java's HttpClient (and rest-assured) refuse or repair
 * exactly what a hostile corpus must send verbatim: raw bytes in the request target, duplicate or broken header
 * lines, bodies whose Content-Length we choose. The whole exchange, connect to last byte, has one deadline.
 */
public final class RawHttp {

    /** One header line as written; the name and value go out exactly as given. */
    public record Header(String name, String value) {
    }

    /**
     * The answer, or what happened instead.
     *
     * @param status  the status code, or -1 when the server closed the connection without an answer
     * @param timedOut the deadline passed before the answer was complete
     */
    public record Response(int status, Map<String, String> headers, byte[] body, long millis, boolean timedOut) {

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /**
     * Sends the request to the service at {@code baseUrl} (http://host:port). {@code target} is the request target
     * (path and query) as it goes on the wire. A body is written from its own thread, so a server that answers early
     * (413) and stops reading cannot block us; {@code chunked} sends it in chunks instead of with a Content-Length.
     */
    public static Response send(String baseUrl, String method, String target, List<Header> headers, byte[] body,
                                boolean chunked, Duration deadline) throws IOException {
        URI base = URI.create(baseUrl);
        long started = System.nanoTime();
        long deadlineNanos = started + deadline.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) deadline.toMillis());
            socket.setSoTimeout((int) deadline.toMillis());
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            write(head, method + " " + target + " HTTP/1.1\r\n");
            write(head, "Host: " + base.getHost() + ":" + base.getPort() + "\r\n");
            boolean hasLength = false;
            for (Header header : headers) {
                write(head, header.name() + ": " + header.value() + "\r\n");
                hasLength |= header.name().equalsIgnoreCase("Content-Length")
                        || header.name().equalsIgnoreCase("Transfer-Encoding");
            }
            if (chunked) {
                write(head, "Transfer-Encoding: chunked\r\n");
            } else if (!hasLength && (body.length > 0 || needsLength(method))) {
                write(head, "Content-Length: " + body.length + "\r\n");
            }
            write(head, "Connection: close\r\n\r\n");

            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(head.toByteArray());
                    if (chunked) {
                        writeChunked(out, body);
                    } else {
                        out.write(body);
                    }
                    out.flush();
                } catch (IOException e) {
                    // The server answered and closed early (413 before reading the rest): its answer is what counts.
                }
            }, "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            return read(socket.getInputStream(), started, deadlineNanos);
        }
    }

    private static boolean needsLength(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    private static void writeChunked(OutputStream out, byte[] body) throws IOException {
        int chunk = 64 * 1024;
        for (int offset = 0; offset < body.length; offset += chunk) {
            int length = Math.min(chunk, body.length - offset);
            write(out, Integer.toHexString(length) + "\r\n");
            out.write(body, offset, length);
            write(out, "\r\n");
        }
        write(out, "0\r\n\r\n");
    }

    private static Response read(InputStream in, long started, long deadlineNanos) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        boolean timedOut = false;
        try {
            while (true) {
                if (System.nanoTime() > deadlineNanos) {
                    timedOut = true;
                    break;
                }
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                all.write(buffer, 0, n);
                if (complete(all.toByteArray())) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            timedOut = true;
        } catch (IOException reset) {
            // A reset after the server answered and closed: keep what arrived.
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        return parse(all.toByteArray(), millis, timedOut);
    }

    /** Whether the bytes hold a whole response (head plus the body its Content-Length or chunking announces). */
    private static boolean complete(byte[] bytes) {
        int headEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (headEnd < 0) {
            return false;
        }
        Map<String, String> headers = headers(new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1));
        int bodyStart = headEnd + 4;
        String length = headers.get("content-length");
        if (length != null) {
            return bytes.length - bodyStart >= Long.parseLong(length.trim());
        }
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", "").trim())) {
            return indexOf(bytes, "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), bodyStart - 2) >= 0;
        }
        // Neither: the body runs to the end of the connection.
        return false;
    }

    private static Response parse(byte[] bytes, long millis, boolean timedOut) {
        int headEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (headEnd < 0) {
            return new Response(-1, Map.of(), bytes, millis, timedOut);
        }
        String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
        String statusLine = head.lines().findFirst().orElse("");
        String[] parts = statusLine.split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            return new Response(-1, Map.of(), bytes, millis, timedOut);
        }
        Map<String, String> headers = headers(head);
        byte[] body = java.util.Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", "").trim())) {
            body = dechunk(body);
        } else if (headers.containsKey("content-length")) {
            int length = (int) Math.min(body.length, Long.parseLong(headers.get("content-length").trim()));
            body = java.util.Arrays.copyOf(body, length);
        }
        return new Response(status, headers, body, millis, timedOut);
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new java.util.TreeMap<>();
        List<String> lines = new ArrayList<>(head.lines().toList());
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        return headers;
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int position = 0;
        while (position < body.length) {
            int lineEnd = indexOf(body, "\r\n".getBytes(StandardCharsets.US_ASCII), position);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(body, position, lineEnd - position, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            out.write(body, start, Math.min(size, body.length - start));
            position = start + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void write(OutputStream out, String text) throws IOException {
        // Header text goes out byte for byte as written (ISO-8859-1 keeps every char below 256 as one byte).
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
