using System;
using System.IO;
using System.Management.Automation;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// What -Torrent takes: a .torrent path, a TorrentInfo (from Get-TorrentInfo or New-Torrent), a FileInfo, or the
    /// engine's TorrentMetainfo. Binding only records which one it got; the file is read in ProcessRecord, so that a
    /// missing or broken .torrent is an ordinary TorrentNotFound / InvalidTorrent error, not a binding error.
    /// </summary>
    public sealed class TorrentInput
    {
        TorrentInput(string path, TorrentMetainfo metainfo) { Path = path; Metainfo = metainfo; }

        internal static TorrentInput FromPath(string path) => new TorrentInput(path, null);
        internal static TorrentInput FromMetainfo(TorrentMetainfo metainfo, string path = null) => new TorrentInput(path, metainfo);

        /// <summary>The .torrent file as given (a PowerShell path), or null when only parsed metainfo was given.</summary>
        public string Path { get; }

        /// <summary>Already-parsed metainfo, or null until <see cref="Resolve"/> reads <see cref="Path"/>.</summary>
        internal TorrentMetainfo Metainfo { get; }

        /// <summary>
        /// The metainfo, reading the file when only a path was given. Throws PeerException TorrentNotFound or
        /// InvalidTorrent / UnsafeFileName (from the engine), naming the file.
        /// </summary>
        internal TorrentMetainfo Resolve(PSCmdlet cmdlet)
        {
            if (Metainfo != null) return Metainfo;
            string full = cmdlet.GetUnresolvedProviderPathFromPSPath(Path);
            if (Directory.Exists(full))
                throw new PeerException(PeerErrorIds.TorrentNotFound,
                    $"'{full}' is a folder, not a .torrent file. To make a torrent of it, run: New-Torrent '{Path}'");
            return TorrentMetainfo.Load(Engine.Runtime.Live.LiveRuntime.Loopback.Storage, full);
        }

        public override string ToString() => Path ?? Metainfo?.Name ?? "";
    }

    /// <summary>Turns whatever was passed to -Torrent into a <see cref="TorrentInput"/> without reading any file.</summary>
    public sealed class TorrentInputTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case null: return null;
                case TorrentInput input: return input;
                case string path: return TorrentInput.FromPath(path);
                case FileInfo file: return TorrentInput.FromPath(file.FullName);
                case TorrentMetainfo metainfo: return TorrentInput.FromMetainfo(metainfo);
            }
            // A TorrentInfo (Get-TorrentInfo, New-Torrent) carries the parsed metainfo (internal) and the file in Path.
            if (value is TorrentInfo info) return TorrentInput.FromMetainfo(info.Metainfo, info.Path);
            // Anything else is left as it is: binding then fails with PowerShell's own type error (or, for pipeline
            // input, the object binds to another parameter set, e.g. a PeerSearchHit to Receive-PeerFile's -InputObject).
            return inputData;
        }
    }
}
