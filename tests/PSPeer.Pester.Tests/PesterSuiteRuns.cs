using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace PSPeer.Pester.Tests
{
    /// <summary>What one It came to: passed, failed with Pester's message, or skipped with its reason.</summary>
    public sealed class PesterOutcome
    {
        public PesterOutcome(string result, string message, double seconds) { Result = result; Message = message; Seconds = seconds; }

        public string Result { get; }     // "Passed", "Failed" or "Skipped"
        public string Message { get; }
        public double Seconds { get; }
    }

    /// <summary>
    /// Runs each suite file once, on the first of its Its that xunit runs, and hands every It its own outcome.
    /// An It is found by its position in the file and its unexpanded Pester path, both fixed at discovery.
    /// </summary>
    public static class PesterSuiteRuns
    {
        static readonly ConcurrentDictionary<string, Lazy<SuiteRun>> Runs = new ConcurrentDictionary<string, Lazy<SuiteRun>>();

        public static PesterOutcome Outcome(string file, int ordinal, string path)
        {
            var run = Runs.GetOrAdd(file, f => new Lazy<SuiteRun>(() => SuiteRun.Of(f))).Value;
            if (run.Error != null) return new PesterOutcome("Failed", "The suite did not run: " + run.Error, 0);

            var its = run.Records.Where(r => r.IsIt).ToList();
            if (ordinal >= its.Count || its[ordinal].Path != path)
                return new PesterOutcome("Failed", $"The suite changed between discovery and run: Its #{ordinal} is no longer '{path}'.", 0);

            var it = its[ordinal];
            var outcome = Map(it);
            // Failures outside any It (an AfterAll, say) go with the suite's last It, so they are seen and counted.
            var outside = run.Records.Where(r => !r.IsIt).ToList();
            if (ordinal == its.Count - 1 && outside.Count > 0)
            {
                string text = string.Join(Environment.NewLine + Environment.NewLine,
                    outside.Select(r => $"{r.Kind} '{r.Name}' failed: {r.Message}"));
                outcome = new PesterOutcome("Failed", string.IsNullOrEmpty(outcome.Message) ? text : outcome.Message + Environment.NewLine + text, outcome.Seconds);
            }
            return outcome;
        }

        static PesterOutcome Map(PesterRecord it)
        {
            switch (it.Result)
            {
                case "Passed": return new PesterOutcome("Passed", null, it.Seconds);
                case "Skipped": return new PesterOutcome("Skipped", SkipReason(it.Message), it.Seconds);
                case "Inconclusive": return new PesterOutcome("Skipped", "inconclusive: " + it.Message, it.Seconds);
                case "Failed": return new PesterOutcome("Failed", it.Message, it.Seconds);
                default: return new PesterOutcome("Failed", $"Pester reported '{it.Result}' for this It (it did not run). {it.Message}", it.Seconds);
            }
        }

        /// <summary>Set-ItResult -Skipped -Because X fails the It with "Exception: is skipped, because X": keep X.</summary>
        static string SkipReason(string message)
        {
            if (string.IsNullOrEmpty(message)) return "skipped by Pester";
            const string marker = "is skipped, because ";
            int at = message.IndexOf(marker, StringComparison.Ordinal);
            return at >= 0 ? message.Substring(at + marker.Length).Trim() : message;
        }

        sealed class SuiteRun
        {
            public IReadOnlyList<PesterRecord> Records { get; private set; }
            public string Error { get; private set; }

            public static SuiteRun Of(string file)
            {
                try { return new SuiteRun { Records = PesterSuite.Run(file) }; }
                catch (Exception ex) { return new SuiteRun { Error = ex.GetType().Name + ": " + ex.Message }; }
            }
        }
    }
}
