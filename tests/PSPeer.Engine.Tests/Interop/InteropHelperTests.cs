using System;
using System.IO;
using System.Threading.Tasks;
using Xunit;
using PSPeer.Engine.Tests.Content;

namespace PSPeer.Engine.Tests.Interop
{
    /// <summary>The helpers themselves work: a tool that is installed starts, answers and is killed on Dispose.</summary>
    public class InteropHelperTests
    {
        [Fact]
        public void A_missing_tool_gives_a_skip_message_naming_the_package()
        {
            string reason = ExternalTool.MissingReason("no-such-tool-pspeer");
            Assert.Contains("no-such-tool-pspeer", reason);
            Assert.Contains("apt-get install", reason);
        }

        [InteropFact("opentracker", "curl")]
        public async Task OpenTracker_serves_a_whitelisted_hash_and_is_gone_after_dispose()
        {
            const string hash = "0123456789abcdef0123456789abcdef01234567";
            int port;
            using (var tracker = await OpenTracker.StartAsync(hash))
            {
                port = tracker.Port;
                string url = tracker.AnnounceUrl + "?info_hash=%01%23Eg%89%ab%cd%ef%01%23Eg%89%ab%cd%ef%01%23Eg&peer_id=-XX0000-000000000000&port=6881&left=0&compact=1";
                var result = await ExternalTool.RunAsync("curl", "-s", "-f", url);
                Assert.True(result.ExitCode == 0, result.ToString() + tracker.Output);
                Assert.StartsWith("d8:completei1e", result.StandardOutput);
            }
            Assert.False(await LoopbackPorts.WaitUntilListeningAsync(port, TimeSpan.FromMilliseconds(200)));
        }

        [InteropFact("mktorrent", Libtorrent.ToolName)]
        public async Task Mktorrent_writes_a_torrent_libtorrent_reads()
        {
            using var folder = new InteropFolder();
            string file = folder.Write("payload.bin", TempFolder.RandomBytes(300_000, 1));
            string torrent = folder.File("payload.torrent");
            await Mktorrent.CreateAsync(file, torrent, "http://127.0.0.1:1/announce", 15);
            string hash = await Libtorrent.InfoHashAsync(torrent);
            Assert.Matches("^[0-9a-f]{40}$", hash);
            string again = folder.File("lt.torrent");
            await Libtorrent.CreateAsync(file, again, "http://127.0.0.1:1/announce", 1 << 15);
            Assert.Equal(hash, await Libtorrent.InfoHashAsync(again));
        }
    }
}
