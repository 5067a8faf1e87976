using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer
{
    /// <summary>
    /// Creates a .torrent for a file or a folder, hashing pieces on every core. The info dictionary is the one mktorrent
    /// writes, so the same file, name and piece size give the same info-hash. Nothing is written until hashing is done,
    /// and then through a temporary file, so Ctrl+C never leaves a half-written .torrent.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "Torrent", SupportsShouldProcess = true)]
    [OutputType(typeof(TorrentInfo))]
    public sealed class NewTorrentCommand : PSCmdlet
    {
        public const string TorrentFileExists = "TorrentFileExists";
        const int ActivityId = 0x7470;   // constant so hosts update one progress bar
        static readonly DiskStorage Storage = new DiskStorage();

        readonly PipelinePump _pump = new PipelinePump();

        /// <summary>The file or folder to share.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>
        /// Announce URLs or tracker nodes of this session (a node or its name); the first is "announce", all of them
        /// form the announce-list when there are several.
        /// </summary>
        [Parameter]
        [TrackerUrlTransformation]
        [ArgumentCompleter(typeof(PeerNodeNameCompleter))]
        [ValidateNotNull]
        public string[] Tracker { get; set; }

        /// <summary>Bytes per piece: a power of two from 16KB to 16MB (e.g. 256KB). Default: chosen from the size.</summary>
        [Parameter]
        [ValidatePieceSize]
        public long PieceSize { get; set; }

        /// <summary>Where to write the torrent. Default: &lt;Name&gt;.torrent in the current location.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string OutFile { get; set; }

        /// <summary>The torrent's name. Default: the file's or folder's name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter]
        public string Comment { get; set; }

        /// <summary>Sets the private flag (BEP 27): clients use only the torrent's trackers.</summary>
        [Parameter]
        public SwitchParameter Private { get; set; }

        /// <summary>Overwrite an existing OutFile.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            string content;
            try
            {
                content = GetUnresolvedProviderPathFromPSPath(Path);
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException)
            {
                WriteError(new ErrorRecord(ex, PeerErrorIds.TorrentSourceNotFound, ErrorCategory.ObjectNotFound, Path));
                return;
            }
            if (!File.Exists(content) && !Directory.Exists(content))
            {
                WriteError(Errors.Make(PeerErrorIds.TorrentSourceNotFound, ErrorCategory.ObjectNotFound, Path,
                    $"'{Path}' is neither a file nor a folder. Check the path."));
                return;
            }

            string name = Name ?? System.IO.Path.GetFileName(content.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar));
            string outFile = OutFile != null
                ? GetUnresolvedProviderPathFromPSPath(OutFile)
                : System.IO.Path.Combine(SessionState.Path.CurrentFileSystemLocation.ProviderPath, name + ".torrent");

            if (File.Exists(outFile) && !Force)
            {
                WriteError(Errors.Make(TorrentFileExists, ErrorCategory.ResourceExists, outFile,
                    $"'{outFile}' already exists.", "Use -Force to overwrite it, or -OutFile to write elsewhere."));
                return;
            }
            if (!ShouldProcess(outFile, $"Create torrent of '{content}'")) return;

            var options = new TorrentBuildOptions
            {
                Trackers = Tracker?.ToList() ?? new System.Collections.Generic.List<string>(),
                PieceLength = MyInvocation.BoundParameters.ContainsKey(nameof(PieceSize)) ? (int?)PieceSize : null,
                Private = Private,
                Comment = Comment,
                Name = Name,
            };

            string activity = $"Hashing {name}";
            long total = TotalSize(content);
            var clock = Stopwatch.StartNew();
            var progress = new CoalescedProgress<long>(_pump, done => WriteProgress(Describe(activity, done, total, clock.Elapsed)), (newer, waiting) => newer > waiting);
            try
            {
                var task = _pump.Run(ct => TorrentBuilder.CreateAsync(Storage, content, options, progress, ct));
                if (_pump.IsStopping) return;
                var torrent = task.GetAwaiter().GetResult();
                WriteVerbose($"Hashed {DisplayText.Size(torrent.TotalSize)} in {DisplayText.Duration(clock.Elapsed)} ({torrent.PieceCount} pieces of {DisplayText.Size(torrent.PieceLength)}).");
                AtomicFile.Write(outFile, torrent.ToBytes());
                WriteObject(new TorrentInfo(torrent, outFile));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && !(ex is OperationCanceledException && _pump.IsStopping))
            {
                WriteError(Errors.FromException(ex, PeerErrorIds.InvalidTorrent, Path));
            }
            finally
            {
                if (!_pump.IsStopping)
                    WriteProgress(new ProgressRecord(ActivityId, activity, "Completed") { RecordType = ProgressRecordType.Completed });
            }
        }

        static long TotalSize(string content)
        {
            if (File.Exists(content)) return new FileInfo(content).Length;
            try
            {
                return new DirectoryInfo(content).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
            }
            catch (IOException) { return -1; }
            catch (UnauthorizedAccessException) { return -1; }
        }

        static ProgressRecord Describe(string activity, long done, long total, TimeSpan elapsed)
        {
            double rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
            string status = $"{DisplayText.Size(done)} of {DisplayText.Size(total)} at {DisplayText.Rate(rate)}";
            var record = new ProgressRecord(ActivityId, activity, status);
            if (total > 0) record.PercentComplete = (int)Math.Min(100, done * 100 / total);
            record.SecondsRemaining = ProgressEta.SecondsRemaining(done, total, rate);
            return record;
        }

        protected override void StopProcessing() => _pump.Cancel();

        /// <summary>A power of two from 16 KiB to 16 MiB.</summary>
        sealed class ValidatePieceSizeAttribute : ValidateArgumentsAttribute
        {
            protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
            {
                long value = Convert.ToInt64(arguments, System.Globalization.CultureInfo.InvariantCulture);
                if (!TorrentBuilder.IsValidPieceLength(value))
                    throw new ValidationMetadataException($"{value} is not a power of two from 16KB to 16MB (16KB, 32KB, ... 256KB, 1MB, ... 16MB).");
            }
        }
    }
}
