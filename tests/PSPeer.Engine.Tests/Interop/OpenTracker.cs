using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer.Engine.Tests.Interop
{
    /// <summary>
    /// A real tracker (Debian's opentracker) on 127.0.0.1 and a free port, for one test. Debian builds it with a
    /// whitelist: only the info-hashes given here are served (others get a failure reason, and clients silently see no
    /// peers). Dispose kills it and deletes its folder. Note: opentracker lists the announcer itself among the peers.
    /// </summary>
    public sealed class OpenTracker : IDisposable
    {
        readonly InteropFolder _folder;
        readonly ToolProcess _process;

        OpenTracker(InteropFolder folder, ToolProcess process, int port)
        {
            _folder = folder; _process = process; Port = port;
        }

        public int Port { get; }
        public string AnnounceUrl => $"http://127.0.0.1:{Port}/announce";
        public string ScrapeUrl => $"http://127.0.0.1:{Port}/scrape";
        /// <summary>The same tracker over BEP 15 (opentracker serves UDP on the port given to -P, the same number).</summary>
        public string UdpAnnounceUrl => $"udp://127.0.0.1:{Port}/announce";
        /// <summary>What opentracker printed so far (for assertion messages).</summary>
        public string Output => _process.Output;

        /// <summary>
        /// Starts opentracker serving <paramref name="infoHashesHex"/> (40 hex digits each) and waits until it accepts
        /// connections and serves every one of them.
        /// </summary>
        public static async Task<OpenTracker> StartAsync(IEnumerable<string> infoHashesHex)
        {
            var folder = new InteropFolder("opentracker");
            ToolProcess process = null;
            try
            {
                var hashes = infoHashesHex.Select(h => h.Trim().ToLowerInvariant()).ToList();
                foreach (var h in hashes)
                    if (h.Length != 40 || !h.All(Uri.IsHexDigit)) throw new ArgumentException($"'{h}' is not a 40-digit hex info-hash.", nameof(infoHashesHex));
                folder.WriteText("whitelist.txt", string.Join("\n", hashes) + "\n");
                // Relative to -d, the folder opentracker changes (chroots, as root) into before reading the list.
                string config = folder.WriteText("opentracker.conf", "access.whitelist whitelist.txt\n");
                for (int attempt = 0; ; attempt++)
                {
                    int port = LoopbackPorts.Free();
                    process = ToolProcess.Start("opentracker", new[]
                    {
                        "-i", "127.0.0.1", "-p", port.ToString(), "-P", port.ToString(), "-A", "127.0.0.1",
                        "-d", folder.Path, "-f", config,
                    }, folder.Path);
                    string problem = null;
                    if (await LoopbackPorts.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(10), () => process.HasExited))
                    {
                        var tracker = new OpenTracker(folder, process, port);
                        // Also proves that what listens on the port is our opentracker, not another process that took
                        // the free port first: then the next attempt picks another port.
                        try
                        {
                            await tracker.WaitUntilWhitelistedAsync(hashes, TimeSpan.FromSeconds(10));
                            return tracker;
                        }
                        catch (Exception e) when (e is PeerException || e is OperationCanceledException) { problem = e.Message; }
                    }
                    string output = problem + "\n" + process.Output;
                    process.Dispose();
                    process = null;
                    if (attempt == 2) throw new InvalidOperationException("opentracker did not start serving its whitelist.\n" + output);
                }
            }
            catch
            {
                process?.Dispose();
                folder.Dispose();
                throw;
            }
        }

        /// <summary>
        /// opentracker reads its whitelist on a thread of its own, started beside the listener: a client that comes
        /// right after the port opens can be told "not authorized" for a hash on the list (one test failed so, 73 ms in,
        /// on a loaded machine). So ask, with a "stopped" announce that adds no peer, until each hash is served.
        /// </summary>
        async Task WaitUntilWhitelistedAsync(IList<string> hashes, TimeSpan limit)
        {
            var client = new TrackerClient(LiveRuntime.Loopback);
            var deadline = DateTime.UtcNow + limit;
            foreach (var hex in hashes)
            {
                var probe = new AnnounceRequest
                {
                    InfoHash = InfoHash.Parse(hex), PeerId = Encoding.ASCII.GetBytes("-XX0000-whitelistprb"), Port = 1,
                    Left = 0, Event = AnnounceEvent.Stopped, NumWant = 0,
                };
                while (true)
                {
                    try
                    {
                        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                            await client.AnnounceAsync(AnnounceUrl, probe, cts.Token);
                        break;
                    }
                    catch (PeerException e) when (e.ErrorId == PeerErrorIds.TrackerFailure && DateTime.UtcNow < deadline)
                    {
                        await Task.Delay(20);   // polling a condition we cannot be told about, bounded by the deadline
                    }
                }
            }
        }

        public static Task<OpenTracker> StartAsync(params string[] infoHashesHex) => StartAsync((IEnumerable<string>)infoHashesHex);

        public void Dispose()
        {
            _process.Dispose();
            _folder.Dispose();
        }
    }
}
