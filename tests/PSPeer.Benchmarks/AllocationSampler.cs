using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Linq;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// The runtime's own allocation sampling (GCAllocationTick: one event per ~100 KB allocated, naming the type that
    /// crossed the mark), listened to in-process: which types the allocated bytes go to, without an external profiler.
    /// </summary>
    sealed class AllocationSampler : EventListener
    {
        const long GcKeyword = 0x1;
        readonly Dictionary<string, long> _bytesByType = new Dictionary<string, long>();
        bool _enabled;

        public AllocationSampler() { _enabled = true; }

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (!_enabled || e.EventName == null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal)) return;
            int typeAt = e.PayloadNames.IndexOf("TypeName");
            int amountAt = e.PayloadNames.IndexOf("AllocationAmount64");
            if (amountAt < 0) amountAt = e.PayloadNames.IndexOf("AllocationAmount");
            string type = typeAt >= 0 ? e.Payload[typeAt] as string ?? "?" : "?";
            long amount = amountAt >= 0 ? Convert.ToInt64(e.Payload[amountAt]) : 100_000;
            lock (_bytesByType) _bytesByType[type] = (_bytesByType.TryGetValue(type, out long b) ? b : 0) + amount;
        }

        /// <summary>The top types by sampled bytes, one per line, and stops sampling.</summary>
        public string Report(int top)
        {
            _enabled = false;
            lock (_bytesByType)
            {
                long total = Math.Max(1, _bytesByType.Values.Sum());
                return string.Join(Environment.NewLine, _bytesByType.OrderByDescending(kv => kv.Value).Take(top)
                    .Select(kv => $"  {kv.Value / 1048576.0,9:N1} MiB {100.0 * kv.Value / total,5:0.0} %  {kv.Key}"));
            }
        }
    }
}
