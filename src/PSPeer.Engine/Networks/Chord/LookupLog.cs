using System;
using System.Collections.Generic;
using PSPeer.Engine.Chord;

namespace PSPeer.Engine.Networks.Chord
{
    /// <summary>
    /// Every lookup a network ran since the last reset, reduced to numbers as it completes (no result objects kept), so
    /// 10^5 lookups cost a few megabytes. Written on the simulation's loop (or under its own lock live).
    /// </summary>
    internal sealed class LookupLog
    {
        readonly object _gate = new object();
        readonly List<double> _hops = new List<double>();
        readonly List<double> _latencyMs = new List<double>();
        long _retries;
        long _messages;

        public int Lookups { get; private set; }
        public int Failed { get; private set; }
        public int Wrong { get; private set; }

        /// <summary>Records a finished lookup; <paramref name="rightOwner"/> says whether it named the live successor.</summary>
        public void Add(ChordLookupResult result, bool rightOwner)
        {
            lock (_gate)
            {
                Lookups++;
                _retries += result.Retries;
                _messages += result.Messages;
                if (!result.Succeeded) { Failed++; return; }
                if (!rightOwner) { Wrong++; return; }
                _hops.Add(result.Hops);
                _latencyMs.Add(result.Latency.TotalMilliseconds);
            }
        }

        /// <summary>A lookup that threw instead of returning a failed result (counted as failed).</summary>
        public void AddFault()
        {
            lock (_gate) { Lookups++; Failed++; }
        }

        public void Reset()
        {
            lock (_gate)
            {
                _hops.Clear();
                _latencyMs.Clear();
                _retries = _messages = 0;
                Lookups = Failed = Wrong = 0;
            }
        }

        public void Fill(ChordMeasurement m)
        {
            lock (_gate)
            {
                m.Lookups = Lookups;
                m.FailedLookups = Failed;
                m.WrongOwner = Wrong;
                m.Hops = SampleSummary.Of(_hops);
                m.LatencyMs = SampleSummary.Of(_latencyMs);
                m.Retries = _retries;
                m.MessagesPerLookup = Lookups == 0 ? 0 : (double)_messages / Lookups;
            }
        }
    }
}
