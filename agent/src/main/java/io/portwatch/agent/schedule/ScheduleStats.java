package io.portwatch.agent.schedule;

import java.time.Duration;

/** Where the scheduler reports how late ticks ran and how many were skipped. */
public interface ScheduleStats {

    void lateness(Duration late);

    void skipped();

    ScheduleStats NONE = new ScheduleStats() {
        @Override
        public void lateness(Duration late) {}

        @Override
        public void skipped() {}
    };
}
