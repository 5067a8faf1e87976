using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>Shares more files (or every file of folders) from a node; the index server learns of them.</summary>
    [Cmdlet(VerbsData.Publish, "PeerFile")]
    [OutputType(typeof(PeerSharedFile))]
    public sealed class PublishPeerFileCommand : PSCmdlet
    {
        readonly PipelinePump _pump = new PipelinePump();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        /// <summary>
        /// The node to share through (a PeerNode, also from the pipeline). Default: the session's most recent node that
        /// shares a folder (else any node that can share). -Node is the earlier name, kept as an alias.
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        [Alias("Node")]
        [ValidateNotNull]
        public PeerNode Via { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var node = Via ?? NodeRegistry.MostRecent(NodeRegistry.CurrentSession, n => n.HasSharedFolder)
                            ?? NodeRegistry.MostRecent(NodeRegistry.CurrentSession, n => n.CanShare);
            var sharing = NodeSelection.Require<ISharingNode>(this, node, "No node of this session can share files.",
                "Start-PeerNode -Protocol Napster -SharedPath <folder>", CmdletErrorIds.NodeCannotShare, "does not share files", nameof(Via));

            var paths = new List<string>();
            foreach (string path in Path)
            {
                try
                {
                    var resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
                    // Checked before adding: a path on another provider (Env:, HKLM:) must not be shared as a file name.
                    if (provider.Name != "FileSystem") throw new ArgumentException($"'{path}' is not a file system path.");
                    paths.AddRange(resolved);
                }
                catch (Exception ex) when (ex is ItemNotFoundException || ex is ArgumentException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException)
                {
                    WriteError(new ErrorRecord(ex, CmdletErrorIds.PeerFileNotFound, ErrorCategory.ObjectNotFound, path));
                }
            }
            if (paths.Count == 0) return;

            try
            {
                var task = _pump.Run(ct => sharing.PublishAsync(paths, ct));
                if (_pump.IsStopping) return;
                var shared = task.GetAwaiter().GetResult();
                WriteVerbose($"{node.Name} now shares {shared.Count} more file(s).");
                if (PassThru)
                    foreach (var file in shared) WriteObject(new PeerSharedFile(file, node));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteError(Errors.FromException(ex, CmdletErrorIds.PeerNodeFailed, paths.Count == 1 ? (object)paths[0] : paths));
            }
        }

        protected override void StopProcessing() => _pump.Cancel();
    }
}
