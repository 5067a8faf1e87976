using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer
{
    // Receive-PeerFile's torrent parameter set: join the swarm, show progress, emit one PeerDownload per torrent.
    public sealed partial class ReceivePeerFileCommand
    {
        // How often the progress bar is refreshed.
        static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
        // How long stopping the downloading node may take before the cmdlet moves on.
        static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

        void ReceiveTorrent()
        {
            TorrentMetainfo torrent;
            try
            {
                torrent = Torrent.Resolve(this);
            }
            catch (PeerException ex)
            {
                // A missing or broken .torrent spoils only this item; the next one still downloads.
                WriteError(Errors.FromException(ex, ex.ErrorId, Torrent.ToString()));
                return;
            }

            Guid session = NodeRegistry.CurrentSession;
            PeerNode node;
            BitTorrentPeer peer;
            bool ours = Via == null;
            if (ours)
            {
                if (!MayWrite(torrent)) return;
                string name = NodeRegistry.NextName(session, "BitTorrent", "Leecher");
                // -Force: the download (made under the partial name) replaces what is at the final name once verified.
                var options = new SwarmOptions { Port = Port, Trackers = Tracker, SeedWhenComplete = Seed.IsPresent, ReplaceExisting = Force.IsPresent };
                peer = new BitTorrentPeer(LiveRuntime.Loopback, name, torrent, _destination, options);
                node = new PeerNode(peer);
            }
            else
            {
                node = Via;
                peer = RequireSwarmNode(Via, torrent);
                if (MyInvocation.BoundParameters.ContainsKey(nameof(Destination)))
                    WriteWarning($"-Destination is ignored with -Via: node '{Via.Name}' writes into '{peer.Directory}'.");
            }

            bool registered = false;
            try
            {
                var result = Download(node, peer, torrent, startIt: ours);
                if (result == null) return; // Ctrl+C: verified pieces stay on disk for a later resume
                if (ours && Seed.IsPresent && peer.State == NodeState.Running)
                {
                    NodeRegistry.Add(session, node);
                    registered = true;
                    WriteVerbose($"{node.Name} keeps seeding {torrent.Name}; stop it with Stop-PeerNode {node.Name}.");
                }
                WriteObject(result);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && !(ex is OperationCanceledException && _pump.IsStopping))
            {
                WriteError(Errors.FromException(ex, PeerErrorIds.DownloadFailed, torrent.Name));
            }
            finally
            {
                if (ours && !registered)
                {
                    try { peer.StopAsync().Wait(StopWait); } catch (AggregateException) { /* stopping is best effort; the error above is the news */ }
                    NodeRegistry.ReleaseName(session, node.Name);
                }
            }
        }

        /// <summary>
        /// The torrent's final name in -Destination: free, or already holding exactly this content (then it counts as
        /// received: emitted as Verified unless -Seed still needs a node), or another file, which only -Force replaces.
        /// Asks ShouldProcess. False when nothing more is to be done for this torrent.
        /// </summary>
        bool MayWrite(TorrentMetainfo torrent)
        {
            string path = TorrentDataCheck.ContentPath(torrent, _destination);
            var started = DateTimeOffset.UtcNow;
            bool taken, present = false;
            using (var check = new PieceStorage(DestinationStorage, torrent, _destination))
            {
                taken = check.IsFinalNameTaken();
                if (taken)
                {
                    WriteVerbose($"'{path}' exists: checking whether it already holds {torrent.Name}.");
                    var hashing = _pump.Run(ct => check.FinalHoldsContentAsync(ct));
                    if (_pump.IsStopping) return false;
                    present = hashing.GetAwaiter().GetResult();
                }
            }
            if (present && !Seed)
            {
                if (!ShouldProcess(path, $"Keep: it already holds {torrent.Name}")) return false;
                WriteVerbose($"'{path}' already holds {torrent.Name}, every piece verified: nothing to download.");
                WriteObject(new PeerDownload(torrent.Name, path, torrent.TotalSize, 0, torrent.InfoHash.Hex, true, DateTimeOffset.UtcNow - started, Array.Empty<string>()));
                return false;
            }
            if (taken && !present && !Force)
            {
                WriteError(DestinationExists(path, $"'{path}' already exists and does not hold the torrent {torrent.Name} ({torrent.InfoHash.Hex}); it was left as it is."));
                return false;
            }
            return ShouldProcess(path, taken && !present ? $"Replace with the torrent {torrent.Name} (once every piece is verified)" : $"Receive the torrent {torrent.Name} ({DisplayText.Size(torrent.TotalSize)})");
        }

        /// <summary>-Via for a torrent: a running seeder or leecher of that very torrent, whose download we watch.</summary>
        BitTorrentPeer RequireSwarmNode(PeerNode node, TorrentMetainfo torrent)
        {
            if (!(node.Engine is BitTorrentPeer peer))
            {
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.NodeCannotShare, ErrorCategory.InvalidArgument, node,
                    $"Node '{node.Name}' is a {node.Protocol} {node.Role}, which cannot download a torrent.",
                    "Leave out -Via (Receive-PeerFile then starts a leecher), or pass a BitTorrent Leecher of the same torrent."));
                return null;
            }
            if (node.State != NodeState.Running)
                ThrowTerminatingError(Errors.Make(PeerErrorIds.NodeNotRunning, ErrorCategory.InvalidOperation, node,
                    $"Node '{node.Name}' is {node.State}.", "Leave out -Via, or pass a running node of this torrent."));
            if (!peer.Torrent.InfoHash.Equals(torrent.InfoHash))
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.TorrentMismatch, ErrorCategory.InvalidArgument, node,
                    $"Node '{node.Name}' runs torrent {peer.Torrent.Name} ({peer.Torrent.InfoHash.Hex}), not {torrent.Name} ({torrent.InfoHash.Hex}).",
                    "Leave out -Via, or pass the node that runs this torrent."));
            return peer;
        }

        /// <summary>
        /// Starts the node (when it is ours), connects -Peer, and waits for every piece while showing progress. Null when
        /// Ctrl+C stopped it; throws PeerException(DownloadFailed) when -Timeout passed first.
        /// </summary>
        PeerDownload Download(PeerNode node, BitTorrentPeer peer, TorrentMetainfo torrent, bool startIt)
        {
            string activity = $"Receiving {torrent.Name} ({DisplayText.Size(torrent.TotalSize)}, {torrent.PieceCount} pieces)";
            WriteVerbose($"{activity} into {(startIt ? _destination : peer.Directory)}.");
            var started = DateTimeOffset.UtcNow;
            long downloadedBefore = startIt ? 0 : SafeDownloaded(peer);
            // For -Via, the node's own record: every peer that has sent it data, also before this command watched.
            var sources = node.SwarmSources;
            using (var timeout = Timeout > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(Timeout)) : new CancellationTokenSource())
            {
                try
                {
                    var task = _pump.Run(ct => RunSwarmAsync(peer, startIt, activity, ct), timeout.Token);
                    if (_pump.IsStopping) return null;
                    if (timeout.IsCancellationRequested && (!task.IsCompleted || task.IsCanceled))
                        throw new PeerException(PeerErrorIds.DownloadFailed,
                            $"{torrent.Name} did not complete within {Timeout} s: {Describe(peer)}. Verified pieces stay in '{peer.Directory}'; run again to resume.");
                    if (task.IsCanceled)
                        throw new PeerException(PeerErrorIds.DownloadFailed,
                            $"Node '{node.Name}' stopped before {torrent.Name} was complete. Verified pieces stay in '{peer.Directory}'; run again to resume.");
                    task.GetAwaiter().GetResult();
                }
                finally
                {
                    if (!_pump.IsStopping)
                        WriteProgress(new ProgressRecord(ActivityId, activity, "Completed") { RecordType = ProgressRecordType.Completed });
                }
                string path = peer.ContentPath;
                if (peer.IsComplete && !peer.IsAtFinalPath)
                    WriteError(DestinationExists(TorrentDataCheck.ContentPath(torrent, peer.Directory),
                        $"{torrent.Name} is complete and verified in '{path}', but a file that PSPeer did not write holds its final name; it was left as it is."));
                return new PeerDownload(torrent.Name, path, torrent.TotalSize, SafeDownloaded(peer) - downloadedBefore, torrent.InfoHash.Hex,
                    peer.IsComplete, DateTimeOffset.UtcNow - started, sources.ToArray());
            }
        }

        async Task RunSwarmAsync(BitTorrentPeer peer, bool startIt, string activity, CancellationToken ct)
        {
            using (WarnOnTrackerFailures(peer))
                await RunSwarmCoreAsync(peer, startIt, activity, ct);
        }

        /// <summary>A download that waits forever on a tracker it cannot reach would otherwise give no hint why.</summary>
        IDisposable WarnOnTrackerFailures(BitTorrentPeer peer)
        {
            var warned = new System.Collections.Generic.HashSet<string>(StringComparer.OrdinalIgnoreCase);
            return peer.EventsInline.Subscribe(e =>
            {
                if (e.Type != PeerEventTypes.TrackerAnnounce || !(e["Error"] is string error)) return;
                lock (warned) if (!warned.Add(e.Remote ?? "")) return;
                string message = $"Announce to {e.Remote} failed: {error}";
                _pump.Post(() => WriteWarning(message));
            }, _ => { });
        }

        async Task RunSwarmCoreAsync(BitTorrentPeer peer, bool startIt, string activity, CancellationToken ct)
        {
            if (startIt) await peer.StartAsync(ct);
            if (Peer != null)
                foreach (var endPoint in Peer)
                {
                    try { await peer.AddPeerAsync(endPoint, ct); }
                    catch (PeerException ex)
                    {
                        // One unreachable peer is not the end of the download: the trackers or other peers may do.
                        string message = $"Could not connect to {endPoint}: {ex.Message}";
                        _pump.Post(() => WriteWarning(message));
                    }
                }
            var completed = peer.WhenCompleted(ct);
            while (!completed.IsCompleted)
            {
                await Task.WhenAny(completed, Task.Delay(ProgressInterval, ct));
                ct.ThrowIfCancellationRequested();
                var record = Progress(peer, activity);
                _pump.Post(() => WriteProgress(record));
            }
            await completed;
        }

        static ProgressRecord Progress(BitTorrentPeer peer, string activity)
        {
            var record = new ProgressRecord(ActivityId, activity, Describe(peer));
            record.PercentComplete = (int)Math.Max(0, Math.Min(100, peer.Progress * 100));
            try
            {
                long total = peer.Torrent.TotalSize;
                record.SecondsRemaining = ProgressEta.SecondsRemaining((long)(total * peer.Progress), total, peer.DownloadRate);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is ObjectDisposedException)
            {
                // A node stopping under us: no ETA, as Describe gives no rates.
            }
            return record;
        }

        /// <summary>"12/40 pieces, 3 peers, down 80.0 MB/s, up 1.0 MB/s".</summary>
        static string Describe(BitTorrentPeer peer)
        {
            try
            {
                return $"{peer.Have.SetCount}/{peer.Torrent.PieceCount} pieces, {Plural.Of(peer.Peers.Count, "peer")}, " +
                       $"down {DisplayText.Rate(peer.DownloadRate)}, up {DisplayText.Rate(peer.UploadRate)}";
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is ObjectDisposedException)
            {
                return $"{peer.Torrent.PieceCount} pieces";
            }
        }

        static long SafeDownloaded(BitTorrentPeer peer)
        {
            try { return peer.Downloaded; }
            catch (Exception ex) when (ex is InvalidOperationException || ex is ObjectDisposedException) { return 0; }
        }
    }
}
