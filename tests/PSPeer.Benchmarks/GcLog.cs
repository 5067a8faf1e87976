using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Text;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// One line per garbage collection (generation, reason, pause, bytes promoted per generation, heap size after), from
    /// the runtime's own GC events listened to in-process: what a phase's pause share is made of (`--gc-log`).
    /// </summary>
    sealed class GcLog : EventListener
    {
        const long GcKeyword = 0x1;
        readonly StringBuilder _lines = new StringBuilder();
        DateTime _suspended, _lastMark;
        string _current;
        bool _enabled = true;

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
                EnableEvents(source, EventLevel.Informational, (EventKeywords)GcKeyword);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (!_enabled || e.EventName == null) return;
            lock (_lines)
            {
                if (e.EventName.StartsWith("GCSuspendEEBegin", StringComparison.Ordinal)) _suspended = e.TimeStamp;
                else if (e.EventName.StartsWith("GCStart", StringComparison.Ordinal))
                { _lastMark = e.TimeStamp; _current = $"gc {Get(e, "Count"),5} gen{Get(e, "Depth")} {(GcReason)Convert.ToInt32(Get(e, "Reason")),-14} type {Get(e, "Type")}"; }
                else if (e.EventName.StartsWith("GCMarkWithType", StringComparison.Ordinal))
                {
                    // Marking from one kind of root ended: how long it took since the previous one, and the bytes it marked.
                    _current += $" [{(MarkRoot)Convert.ToInt32(Get(e, "Type"))} {(e.TimeStamp - _lastMark).TotalMilliseconds:0}ms {Convert.ToInt64(Get(e, "Bytes")) / 1048576.0:0.0}MB]";
                    _lastMark = e.TimeStamp;
                }
                else if (e.EventName.StartsWith("GCHeapStats", StringComparison.Ordinal))
                    _current += $" promoted g0 {Mib(e, "TotalPromotedSize0")} g1 {Mib(e, "TotalPromotedSize1")} g2 {Mib(e, "TotalPromotedSize2")}" +
                                $" | sizes g0 {Mib(e, "GenerationSize0")} g1 {Mib(e, "GenerationSize1")} g2 {Mib(e, "GenerationSize2")} loh {Mib(e, "GenerationSize3")}";
                else if (e.EventName.StartsWith("GCRestartEEEnd", StringComparison.Ordinal) && _current != null)
                {
                    _lines.AppendLine($"{_current} pause {(e.TimeStamp - _suspended).TotalMilliseconds,7:0.0} ms");
                    _current = null;
                }
            }
        }

        static object Get(EventWrittenEventArgs e, string name)
        {
            int i = e.PayloadNames.IndexOf(name);
            return i >= 0 ? e.Payload[i] : "?";
        }

        static string Mib(EventWrittenEventArgs e, string name)
        {
            object v = Get(e, name);
            return v is string ? "?" : $"{Convert.ToInt64(v) / 1048576.0,7:0.0}";
        }

        public string Report()
        {
            _enabled = false;
            lock (_lines) return _lines.ToString();
        }

        enum MarkRoot { Stack, FinalizeQueue, Handles, Older, SizedRef, Overflow, DependentHandles, NewFinalizeQueue, Steal, BackgroundFinalizeQueue }

        enum GcReason { AllocSmall, Induced, LowMemory, Empty, AllocLarge, OutOfSpaceSoh, OutOfSpaceLoh, InducedNotForced, Internal, InducedLowMemory, InducedCompacting, LowMemoryHost, PmFullGc, LowMemoryHostBlocking }
    }
}
