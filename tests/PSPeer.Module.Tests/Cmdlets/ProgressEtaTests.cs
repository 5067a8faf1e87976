using System;
using System.Linq;
using System.Management.Automation;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>Progress records carry an ETA (SecondsRemaining) once the total and a rate are known.</summary>
    public class ProgressEtaTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        static void AssertEta(ScriptResult result, string activityStart)
        {
            result.ShouldSucceed();
            var processing = result.Progress.Where(p => p.RecordType == ProgressRecordType.Processing && p.Activity.StartsWith(activityStart, StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(processing);
            Assert.Contains(processing, p => p.SecondsRemaining >= 0);
            Assert.All(processing, p => Assert.True(p.SecondsRemaining >= -1));
        }

        [Fact]
        public void New_Torrent_hashing_has_an_ETA()
        {
            TempFolder.WriteRandomFile(_session.Temp.Path, "big.bin", 48L << 20, seed: 5);

            AssertEta(_session.Run("$null = New-Torrent ./big.bin -OutFile ./big.torrent"), "Hashing big.bin");
        }

        [Fact]
        public void A_download_has_an_ETA()
        {
            var scenario = new NapsterScenario(_session, heyJudeSize: 24L << 20);

            AssertEta(_session.Run(NapsterScenario.StartScript + "$null = Find-PeerFile 'Hey Jude' -Via $alice -First 1 | Receive-PeerFile -Destination $downloads -Via $alice",
                scenario.Variables), "Receiving The Beatles - Hey Jude.mp3");
        }

        public void Dispose() => _session.Dispose();
    }
}
