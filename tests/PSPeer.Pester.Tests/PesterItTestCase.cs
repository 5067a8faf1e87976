using System;
using System.ComponentModel;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace PSPeer.Pester.Tests
{
    /// <summary>
    /// One Pester It as an xunit test: named "&lt;suite file&gt;: Describe &gt; It", it reports the outcome of that It
    /// from its suite's single Pester run (<see cref="PesterSuiteRuns"/>), with Pester's failure message and
    /// script stack, or its skip reason. Its identity (suite, position, Pester path) travels as the test's arguments,
    /// so it survives the runner's serialization between discovery and execution.
    /// </summary>
    public sealed class PesterItTestCase : XunitTestCase
    {
        [EditorBrowsable(EditorBrowsableState.Never)]
        [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
        public PesterItTestCase() { }

        public PesterItTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions,
            ITestMethod testMethod, string suite, int ordinal, string pesterPath, string name, string discoveryError)
            : base(diagnosticMessageSink, display, displayOptions, testMethod, new object[] { suite, ordinal, pesterPath, name, discoveryError })
        {
        }

        string Suite => (string)TestMethodArguments[0];
        int Ordinal => (int)TestMethodArguments[1];
        string PesterPath => (string)TestMethodArguments[2];
        string Name => (string)TestMethodArguments[3];
        string DiscoveryError => (string)TestMethodArguments[4];

        protected override string GetDisplayName(IAttributeInfo factAttribute, string displayName) => $"{Suite}: {Name}";

        public override Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments,
            ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
        {
            var test = new XunitTest(this, DisplayName);
            var summary = new RunSummary { Total = 1 };
            void Send(IMessageSinkMessage message)
            {
                if (!messageBus.QueueMessage(message)) cancellationTokenSource.Cancel();
            }

            Send(new TestCaseStarting(this));
            Send(new TestStarting(test));
            var outcome = DiscoveryError != null
                ? new PesterOutcome("Failed", "Pester could not discover " + Suite + ": " + DiscoveryError, 0)
                : PesterSuiteRuns.Outcome(Path.Combine(PesterSuite.RepoRoot, Suite), Ordinal, PesterPath);
            decimal time = (decimal)outcome.Seconds;
            summary.Time = time;
            switch (outcome.Result)
            {
                case "Passed":
                    Send(new TestPassed(test, time, null));
                    break;
                case "Skipped":
                    summary.Skipped = 1;
                    Send(new TestSkipped(test, outcome.Message));
                    break;
                default:
                    summary.Failed = 1;
                    Send(new TestFailed(test, time, null, new[] { "Pester" }, new[] { outcome.Message }, new[] { "" }, new[] { -1 }));
                    break;
            }
            Send(new TestFinished(test, time, null));
            Send(new TestCaseFinished(this, time, 1, summary.Failed, summary.Skipped));
            return Task.FromResult(summary);
        }
    }
}
