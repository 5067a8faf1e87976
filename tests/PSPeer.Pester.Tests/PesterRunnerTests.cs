using System;
using System.IO;
using System.Linq;
using Xunit;

namespace PSPeer.Pester.Tests
{
    /// <summary>
    /// The runner itself, on a fixture suite with one It of each kind: names as Pester expands them, and each outcome
    /// (pass, failure with Pester's message and line, skip with its reason, a failing AfterAll) as xunit reports it.
    /// </summary>
    public class PesterRunnerTests
    {
        static string Fixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Outcomes.Fixture.ps1");

        static PesterRecord[] Discovered()
        {
            using (var runspace = PesterSuite.OpenRunspace(Path.GetTempPath()))
                return PesterSuite.Discover(Fixture, runspace).Where(r => r.IsIt).ToArray();
        }

        [Fact]
        public void Discovery_names_each_It_by_its_blocks_with_the_ForEach_data_expanded()
        {
            var names = Discovered().Select(r => r.Name);

            Assert.Equal(new[]
            {
                "Outcomes > passes",
                "Outcomes > fails with 2",
                "Outcomes > skips",
                "Outcomes > in a block whose AfterAll fails > passes before the AfterAll",
            }, names);
        }

        [Fact]
        public void Each_It_gets_its_own_outcome_with_Pesters_message()
        {
            var its = Discovered();

            var outcomes = its.Select((it, i) => PesterSuiteRuns.Outcome(Fixture, i, it.Path)).ToArray();

            Assert.Equal("Passed", outcomes[0].Result);
            Assert.Equal("Failed", outcomes[1].Result);
            Assert.Contains("Expected 2, but got 1.", outcomes[1].Message);
            Assert.Contains("Outcomes.Fixture.ps1:5", outcomes[1].Message);
            Assert.Equal("Skipped", outcomes[2].Result);
            Assert.Equal("the tool is missing", outcomes[2].Message);
            // The It passed, but its block's AfterAll failed: the suite's last It carries that failure.
            Assert.Equal("Failed", outcomes[3].Result);
            Assert.Contains("cleanup broke", outcomes[3].Message);
        }

        [Fact]
        public void An_It_that_is_no_longer_where_discovery_found_it_fails_saying_so()
        {
            var outcome = PesterSuiteRuns.Outcome(Fixture, 0, "Outcomes > was renamed");

            Assert.Equal("Failed", outcome.Result);
            Assert.Contains("changed between discovery and run", outcome.Message);
        }
    }
}
