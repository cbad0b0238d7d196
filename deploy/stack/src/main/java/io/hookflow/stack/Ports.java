package io.hookflow.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free-port helpers. A port found free can be taken by someone else before we bind it, so callers retry. */
public final class Ports {

    private Ports() {
    }

    /** A loopback port that was free a moment ago. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** Fails with a message naming the port and its intended user when something already listens on it. */
    public static void requireFree(int port, String usedFor) {
        // The wildcard address catches listeners on any interface, as the services bind 0.0.0.0.
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " (" + usedFor + ") is already in use;"
                    + " stop whatever listens there (e.g. `ss -ltnp 'sport = :" + port + "'`) and try again");
        }
    }

    /** True when a process listens on the loopback port. */
    static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
