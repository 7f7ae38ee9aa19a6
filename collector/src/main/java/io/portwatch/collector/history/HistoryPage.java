package io.portwatch.collector.history;

import java.util.List;

/** Newest-first results of one check; {@code nextCursor} fetches the older page, null at the end. */
public record HistoryPage(long checkId, List<ResultView> results, String nextCursor) {}
