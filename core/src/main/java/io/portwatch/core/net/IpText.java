package io.portwatch.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP addresses as text, one way for both apps: IPv6 compressed as RFC 5952 writes it ({@code ::1},
 * {@code fe80::1}), an IPv4-mapped one as {@code ::ffff:127.0.0.1}; and text read back as an
 * address only when it is a literal, never by a DNS lookup.
 */
public final class IpText {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpText() {}

    /** The text of a 4- or 16-byte address; anything else is refused. */
    public static String of(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        if (a.length != 16) {
            throw new IllegalArgumentException(a.length + " bytes, expected 4 or 16");
        }
        if (mappedV4(a)) {
            return "::ffff:" + (a[12] & 0xff) + "." + (a[13] & 0xff) + "." + (a[14] & 0xff) + "." + (a[15] & 0xff);
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        }
        // The longest run of two or more zero words (the first of equals) becomes "::".
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLength - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(words[i]));
        }
        return b.toString();
    }

    /** {@code 127.0.0.1:22}, {@code [::1]:22}: an address's text with a port, as ss prints it. */
    public static String withPort(String addressText, int port) {
        return (addressText.indexOf(':') >= 0 ? "[" + addressText + "]" : addressText) + ":" + port;
    }

    /** The text of {@code address}, without an IPv6 scope. */
    public static String of(InetAddress address) {
        return of(address.getAddress());
    }

    /** {@code ::ffff:a.b.c.d}: an IPv4 address carried by an IPv6 socket. */
    public static boolean mappedV4(byte[] a) {
        if (a.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /**
     * The address {@code text} spells, when it is an IPv4 or IPv6 literal (a scope such as
     * {@code %eth0} is dropped); empty for a host name or anything else. Never asks DNS.
     */
    public static Optional<InetAddress> literal(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text;
        int percent = t.indexOf('%');
        if (percent >= 0) {
            t = t.substring(0, percent);
        }
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        // Only a string InetAddress reads as a literal gets to it: with a colon it is parsed as IPv6
        // or refused, and a dotted quad is a literal; anything else might be looked up.
        boolean v4 = IPV4.matcher(t).matches();
        boolean v6 = !v4 && t.indexOf(':') >= 0 && IPV6.matcher(t).matches();
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(t));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
