package io.portwatch.collector.check;

import io.portwatch.core.check.Expectation;

/** What the hot path needs of a check instance: its row id and what healthy means for it. */
public record CheckRef(long id, Expectation expect) {}
