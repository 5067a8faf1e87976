using System;
using System.Management.Automation;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>The cmdlet layer's own stable error ids (tests assert on FullyQualifiedErrorId).</summary>
    public static class CmdletErrorIds
    {
        public const string PeerNodeNameInUse = "PeerNodeNameInUse";
        public const string PeerNodeNotFound = "PeerNodeNotFound";
        public const string SharedPathNotFound = PeerErrorIds.SharedPathNotFound;
        public const string IndexServerRequired = "IndexServerRequired";
        public const string IndexServerInvalid = "IndexServerInvalid";
        public const string RoleNotSupported = "RoleNotSupported";
        public const string PeerFileNotFound = "PeerFileNotFound";
        public const string NodeCannotShare = "NodeCannotShare";
        public const string NodeCannotSearch = "NodeCannotSearch";
        public const string ContentHashInvalid = "ContentHashInvalid";
        public const string PeerNodeFailed = "PeerNodeFailed";
        public const string PeerSearchFailed = "PeerSearchFailed";
        // BitTorrent seeders and leechers
        public const string TorrentRequired = "TorrentRequired";          // -Role Seeder/Leecher without -Torrent
        public const string TorrentDataMissing = "TorrentDataMissing";    // a Seeder whose folder lacks (valid) content
        public const string TorrentMismatch = "TorrentMismatch";          // -Via a node that runs another torrent
        // Networks (New-PeerNetwork, Invoke-PeerSimulation, Measure-PeerNetwork)
        public const string PeerNetworkTooLarge = "PeerNetworkTooLarge";
        public const string PeerNetworkFailed = "PeerNetworkFailed";
        public const string PeerNetworkNotSimulated = "PeerNetworkNotSimulated";
        public const string PeerNetworkStopped = "PeerNetworkStopped";
        public const string PeerNodeSimulated = "PeerNodeSimulated";
        // Validation (issue 11): a parameter the chosen protocol/role does not take, a file where a folder is expected,
        // a name the protocol cannot carry, an event type no node emits, content to hash that does not exist.
        public const string ParameterNotApplicable = "ParameterNotApplicable";
        public const string SharedPathNotFolder = "SharedPathNotFolder";
        public const string PeerNodeNameInvalid = "PeerNodeNameInvalid";
        public const string PeerEventTypeUnknown = "PeerEventTypeUnknown";
        public const string TorrentSourceNotFound = PeerErrorIds.TorrentSourceNotFound;
        // Receive-PeerFile: a different file already has the download's name (-Force replaces it)
        public const string DestinationFileExists = PeerErrorIds.DestinationFileExists;
        // Show-PeerNetwork: the dashboard could not start (its port taken: PortInUse passes through)
        public const string PeerDashboardFailed = "PeerDashboardFailed";
        // Chord rings (issue 12): keys through a node that is no Chord node, a value over the ring's size limit, a Client
        // (behind a NAT) with no ring member to go through. Lookups and stores that fail carry the engine's ids
        // (PeerErrorIds.ChordLookupFailed, ChordStoreRefused, ChordJoinFailed).
        public const string NodeNotChord = "NodeNotChord";
        public const string PeerKeyValueTooLarge = "PeerKeyValueTooLarge";
        public const string ChordBootstrapRequired = "ChordBootstrapRequired";
        // Export-PeerChart (issue 14): an object no chart draws (or not the -Kind asked for), inputs for different
        // charts without -Kind, nothing to draw (no flood measured, no leecher completed), a -Path extension it cannot write.
        public const string ChartInputNotSupported = "ChartInputNotSupported";
        public const string ChartInputMixed = "ChartInputMixed";
        public const string ChartInputEmpty = "ChartInputEmpty";
        public const string ChartFormatNotSupported = "ChartFormatNotSupported";
    }

    internal static class Errors
    {
        /// <summary>An engine failure as an ErrorRecord: the engine's ErrorId and a category that fits it.</summary>
        public static ErrorRecord FromException(Exception exception, string fallbackId, object target)
        {
            if (exception is AggregateException agg && agg.InnerExceptions.Count == 1) exception = agg.InnerException;
            if (exception is PeerException peer)
                return new ErrorRecord(peer, peer.ErrorId, CategoryOf(peer.ErrorId), target);
            var category = exception is ArgumentException ? ErrorCategory.InvalidArgument
                : exception is InvalidOperationException ? ErrorCategory.InvalidOperation
                : exception is System.IO.IOException ? ErrorCategory.WriteError
                : exception is UnauthorizedAccessException ? ErrorCategory.PermissionDenied
                : ErrorCategory.NotSpecified;
            var record = new ErrorRecord(exception, fallbackId, category, target);
            // .NET appends " (Parameter 'name')" to an ArgumentException's message: the engine's parameter name means
            // nothing to a PowerShell user, so the record shows the sentence alone.
            if (exception is ArgumentException arg && arg.ParamName != null)
            {
                string suffix = $" (Parameter '{arg.ParamName}')";
                int at = arg.Message.IndexOf(suffix, StringComparison.Ordinal);
                if (at >= 0) record.ErrorDetails = new ErrorDetails(arg.Message.Remove(at, suffix.Length));
            }
            return record;
        }

        public static ErrorRecord Make(string errorId, ErrorCategory category, object target, string message, string recommendedAction = null)
        {
            var record = new ErrorRecord(new PeerException(errorId, message), errorId, category, target);
            if (recommendedAction != null) record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
            return record;
        }

        public static ErrorCategory CategoryOf(string errorId)
        {
            switch (errorId)
            {
                case PeerErrorIds.PortInUse: return ErrorCategory.ResourceUnavailable;
                case PeerErrorIds.Unreachable:
                case PeerErrorIds.IndexServerUnreachable: return ErrorCategory.ConnectionError;
                case PeerErrorIds.ContentHashMismatch: return ErrorCategory.InvalidResult;
                case PeerErrorIds.DownloadFailed: return ErrorCategory.ReadError;
                case PeerErrorIds.SharedPathNotFound: return ErrorCategory.ObjectNotFound;
                case PeerErrorIds.ProtocolViolation: return ErrorCategory.ProtocolError;
                case PeerErrorIds.NodeNotRunning: return ErrorCategory.InvalidOperation;
                case PeerErrorIds.InvalidTorrent:
                case PeerErrorIds.UnsafeFileName: return ErrorCategory.InvalidData;
                case PeerErrorIds.TorrentNotFound: return ErrorCategory.ObjectNotFound;
                case CmdletErrorIds.TorrentDataMissing: return ErrorCategory.ObjectNotFound;
                case PeerErrorIds.TrackerFailure: return ErrorCategory.InvalidResult;
                case PeerErrorIds.TrackerUnreachable:
                case PeerErrorIds.HandshakeRefused: return ErrorCategory.ConnectionError;
                case CmdletErrorIds.RoleNotSupported:
                case CmdletErrorIds.ParameterNotApplicable:
                case CmdletErrorIds.SharedPathNotFolder:
                case CmdletErrorIds.PeerNodeNameInvalid:
                case CmdletErrorIds.PeerEventTypeUnknown: return ErrorCategory.InvalidArgument;
                case PeerErrorIds.TorrentSourceNotFound: return ErrorCategory.ObjectNotFound;
                case PeerErrorIds.SourceBusy: return ErrorCategory.ResourceBusy;
                case PeerErrorIds.DestinationFileExists: return ErrorCategory.ResourceExists;
                case PeerErrorIds.AddressNotAvailable: return ErrorCategory.InvalidArgument;
                case PeerErrorIds.PortAccessDenied: return ErrorCategory.PermissionDenied;
                case CmdletErrorIds.NodeNotChord:
                case CmdletErrorIds.PeerKeyValueTooLarge:
                case CmdletErrorIds.ChordBootstrapRequired: return ErrorCategory.InvalidArgument;
                case PeerErrorIds.ChordLookupFailed:
                case PeerErrorIds.ChordJoinFailed: return ErrorCategory.ConnectionError;
                case PeerErrorIds.ChordStoreRefused: return ErrorCategory.WriteError;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}
