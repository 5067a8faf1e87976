using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer
{
    /// <summary>
    /// Downloads search hits, verifies each against its content hash and writes it to -Destination; or joins a
    /// torrent's swarm (a TorrentInfo or a .torrent path) and downloads its content, every piece verified. A failed
    /// item is a non-terminating error and the next one still downloads.
    /// <para>A file it did not write is never replaced: one with the same content counts as received (a Verified
    /// PeerDownload, nothing transferred); a different one is a DestinationFileExists error unless -Force, and then is
    /// replaced only by the verified download. -WhatIf/-Confirm ask before each download.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Receive, "PeerFile", DefaultParameterSetName = HitSet, SupportsShouldProcess = true)]
    [OutputType(typeof(PeerDownload))]
    public sealed partial class ReceivePeerFileCommand : PSCmdlet
    {
        const string HitSet = "Hit";
        const string PropertySet = "Property";
        const string TorrentSet = "Torrent";
        // One progress bar for the whole command, reused by every file it receives.
        const int ActivityId = 0x5045; // "PE"
        readonly PipelinePump _pump = new PipelinePump();
        // Files already received by this command, by content hash and name: the same song found on several peers
        // downloads once, and a hit for it that comes after a failed one is the fallback source.
        readonly HashSet<string> _received = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string _destination;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = HitSet)]
        [ValidateNotNull]
        public PeerSearchHit InputObject { get; set; }

        /// <summary>urn:sha1:BASE32 of the file (from JSON, CSV or typed by hand).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
        [Alias("Hash")]
        [ValidateNotNullOrEmpty]
        public string ContentHash { get; set; }

        /// <summary>"host:port" of the peer's HTTP server.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
        [ValidateNotNullOrEmpty]
        public string Source { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>Expected size in bytes; -1 when unknown.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
        public long Size { get; set; } = -1;

        /// <summary>The file's index on its peer, when known.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
        public int FileIndex { get; set; } = -1;

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
        public string PeerName { get; set; }

        /// <summary>A TorrentInfo (Get-TorrentInfo, New-Torrent), a .torrent path or FileInfo: joins that torrent's swarm.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = TorrentSet)]
        [Alias("TorrentPath")]
        [TorrentInputTransformation]
        [ValidateNotNull]
        public TorrentInput Torrent { get; set; }

        /// <summary>Torrent: announce URLs or tracker nodes to use instead of the torrent's own trackers.</summary>
        [Parameter(ParameterSetName = TorrentSet)]
        [TrackerUrlTransformation]
        [ValidateNotNullOrEmpty]
        public string[] Tracker { get; set; }

        /// <summary>Torrent: peers ("host:port", PeerNode) to connect to directly, besides those the trackers name.</summary>
        [Parameter(ParameterSetName = TorrentSet)]
        [EndPointTransformation]
        [ValidateNotNullOrEmpty]
        public HostPort[] Peer { get; set; }

        /// <summary>Torrent: the port the downloading node accepts peers on (0 = any free port).</summary>
        [Parameter(ParameterSetName = TorrentSet)]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>Torrent: keep seeding once complete; the node stays in the session (Get-PeerNode, Stop-PeerNode).</summary>
        [Parameter(ParameterSetName = TorrentSet)]
        public SwitchParameter Seed { get; set; }

        /// <summary>Torrent: give up after this many seconds without completing (0 = wait until complete or Ctrl+C).</summary>
        [Parameter(ParameterSetName = TorrentSet)]
        [ValidateRange(0, 31 * 86400)]
        public double Timeout { get; set; }

        /// <summary>Folder to write into (created if missing). Default: the current location.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; }

        /// <summary>The node to download with. Default: the node the hit was found through, else the most recent client.</summary>
        [Parameter]
        [Alias("Node")]
        [ValidateNotNull]
        public PeerNode Via { get; set; }

        /// <summary>Replace a different file that already has the download's name (only with the verified download).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void BeginProcessing()
        {
            _destination = Destination == null
                ? SessionState.Path.CurrentFileSystemLocation.ProviderPath
                : GetUnresolvedProviderPathFromPSPath(Destination);
            try
            {
                Directory.CreateDirectory(_destination);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "DestinationNotWritable", ErrorCategory.WriteError, _destination));
            }
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == TorrentSet)
            {
                ReceiveTorrent();
                return;
            }
            SearchHit hit;
            PeerNode preferred;
            if (ParameterSetName == HitSet)
            {
                hit = InputObject.Hit;
                preferred = InputObject.Node;
            }
            else
            {
                if (!Engine.Core.ContentHash.TryParse(ContentHash, out var hash))
                {
                    WriteError(Errors.Make(CmdletErrorIds.ContentHashInvalid, ErrorCategory.InvalidArgument, ContentHash,
                        $"'{ContentHash}' is not a content hash: expected urn:sha1: followed by 32 base32 characters."));
                    return;
                }
                hit = new SearchHit(Name, Size, hash, Source, FileIndex, PeerName, 0, TimeSpan.Zero);
                preferred = null;
            }

            var node = Via ?? (IsUsable(preferred) ? preferred : null)
                           ?? NodeRegistry.MostRecent(NodeRegistry.CurrentSession, IsUsable);
            var downloader = NodeSelection.Require<ISharingNode>(this, node, "No running node of this session can download.",
                "Start-PeerNode -Protocol Napster -IndexServer <server>", CmdletErrorIds.NodeCannotShare, "cannot download", nameof(Via));

            string key = hit.ContentHash + "|" + hit.Name;
            if (_received.Contains(key))
            {
                WriteVerbose($"Skipping {hit.Name} from {hit.Source}: the same content was already received from another peer.");
                return;
            }
            if (Receive(downloader, hit)) _received.Add(key);
        }

        static bool IsUsable(PeerNode node) => node != null && node.CanShare && node.State == NodeState.Running;

        /// <summary>Downloads one hit; true when it was received and verified.</summary>
        bool Receive(ISharingNode downloader, SearchHit hit)
        {
            string target = HttpDownloader.DestinationPath(DestinationStorage, hit, _destination);
            bool exists = File.Exists(target);
            string what = exists
                ? (Force ? $"Replace with '{hit.Name}' from {hit.Source} (once verified)" : $"Keep if it already holds '{hit.Name}', else report DestinationFileExists")
                : $"Receive '{hit.Name}' from {hit.Source}";
            if (!ShouldProcess(target, what)) return false;
            string activity = $"Receiving {hit.Name} from {hit.Source}";
            var progress = new CoalescedProgress<DownloadProgress>(_pump, p => WriteProgress(Describe(activity, p)));
            WriteVerbose($"{activity} into {_destination}.");
            try
            {
                var task = _pump.Run(ct => downloader.DownloadAsync(hit, _destination, Force.IsPresent, progress, ct));
                if (_pump.IsStopping) return false;
                var result = task.GetAwaiter().GetResult();
                if (result.AlreadyPresent) WriteVerbose($"'{result.Path}' already holds {hit.Name} ({result.ContentHash}): nothing to download.");
                WriteObject(new PeerDownload(result, hit.Name));
                return result.Verified;
            }
            catch (PeerException ex) when (ex.ErrorId == PeerErrorIds.DestinationFileExists)
            {
                WriteError(DestinationExists(target, ex.Message));
                return false;
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && !(ex is OperationCanceledException && _pump.IsStopping))
            {
                // One bad file (hash mismatch, peer gone) does not stop the rest of the pipeline.
                WriteError(Errors.FromException(ex, PeerErrorIds.DownloadFailed, hit.Name));
                return false;
            }
            finally
            {
                if (!_pump.IsStopping)
                    WriteProgress(new ProgressRecord(ActivityId, activity, "Completed") { RecordType = ProgressRecordType.Completed });
            }
        }

        // Only for naming the target file in -WhatIf and errors: the node writes through its own runtime.
        static readonly DiskStorage DestinationStorage = new DiskStorage();

        /// <summary>DestinationFileExists, naming -Force.</summary>
        static ErrorRecord DestinationExists(string path, string why) =>
            Errors.Make(CmdletErrorIds.DestinationFileExists, ErrorCategory.ResourceExists, path,
                $"{why} Use -Force to replace it with the verified download, or -Destination to download elsewhere.",
                "Add -Force to replace the existing file, or choose another -Destination.");

        static ProgressRecord Describe(string activity, DownloadProgress p)
        {
            string status = $"{DisplayText.Size(p.BytesReceived)} of {(p.TotalBytes >= 0 ? DisplayText.Size(p.TotalBytes) : "?")} at {DisplayText.Rate(p.BytesPerSecond)}";
            var record = new ProgressRecord(ActivityId, activity, status);
            if (p.TotalBytes > 0) record.PercentComplete = (int)Math.Min(100, p.BytesReceived * 100 / p.TotalBytes);
            record.SecondsRemaining = ProgressEta.SecondsRemaining(p.BytesReceived, p.TotalBytes, p.BytesPerSecond);
            return record;
        }

        protected override void StopProcessing() => _pump.Cancel();
    }
}
