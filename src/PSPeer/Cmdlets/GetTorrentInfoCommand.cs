using System;
using System.Management.Automation;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer
{
    /// <summary>Reads .torrent files: name, size, files, pieces, info-hash, trackers, magnet link.</summary>
    [Cmdlet(VerbsCommon.Get, "TorrentInfo")]
    [OutputType(typeof(TorrentInfo))]
    public sealed class GetTorrentInfoCommand : PSCmdlet
    {
        static readonly DiskStorage Storage = new DiskStorage();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string path in Path)
            {
                System.Collections.ObjectModel.Collection<string> resolved;
                try
                {
                    resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
                    if (provider.Name != "FileSystem") throw new ItemNotFoundException($"'{path}' is not a file system path.");
                }
                catch (Exception ex) when (ex is ItemNotFoundException || ex is DriveNotFoundException || ex is ProviderNotFoundException || ex is ArgumentException)
                {
                    WriteError(Errors.Make(PeerErrorIds.TorrentNotFound, ErrorCategory.ObjectNotFound, path,
                        $"The torrent file '{path}' was not found. Check the path.", "Pass the path of an existing .torrent file."));
                    continue;
                }
                foreach (string file in resolved) Read(file);
            }
        }

        void Read(string file)
        {
            try
            {
                WriteObject(new TorrentInfo(TorrentMetainfo.Load(Storage, file), file));
            }
            catch (Exception ex) when (ex is PeerException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                WriteError(Errors.FromException(ex, PeerErrorIds.InvalidTorrent, file));
            }
        }
    }
}
