package io.portwatch.collector.inventory;

import io.portwatch.core.check.Protocol;

/** What tells one listening socket from another: a change of any part is one going and another appearing. */
record SocketKey(Protocol proto, String address, int port, long uid, Long pid, String command) {}
