using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// What Set-PeerKey, Get-PeerKey and Find-PeerKey share: the node they go through (-Via), how long each call may
    /// take (-Timeout), Ctrl+C, and turning an engine failure into one error record per key while the rest go on.
    /// </summary>
    public abstract class ChordKeyCommandBase : PSCmdlet
    {
        readonly ChordCalls _calls = new ChordCalls();

        /// <summary>The Chord node to go through. Default: the session's most recent running Chord node.</summary>
        [Parameter]
        [Alias("Node")]
        [ArgumentCompleter(typeof(PeerNodeNameCompleter))]
        [ValidateNotNull]
        public PeerNode Via { get; set; }

        /// <summary>Seconds to wait for each call (virtual seconds on a simulated network).</summary>
        [Parameter]
        [ValidateRange(0.001, 3600)]
        public double Timeout { get; set; } = 10;

        /// <summary>True once Ctrl+C stopped the cmdlet: the loop over keys or values ends.</summary>
        internal bool IsStopping => _calls.IsStopping;

        /// <summary>The Chord node to use (-Via or the session's most recent); ends the cmdlet when there is none.</summary>
        internal ChordNode RequireNode(out PeerNode node)
        {
            node = Via;
            return ChordCalls.Require(this, ref node, nameof(Via));
        }

        /// <summary>
        /// Runs one call through <paramref name="node"/>. False when it threw (written as a non-terminating error on
        /// <paramref name="target"/>, so the next key goes on) or when Ctrl+C stopped it (<paramref name="result"/> null).
        /// </summary>
        internal bool TryRun<T>(PeerNode node, Func<CancellationToken, Task<T>> work, string target, out T result) where T : class
        {
            try
            {
                result = _calls.Run(node, work, TimeSpan.FromSeconds(Timeout));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteError(Errors.FromException(ex, PeerErrorIds.ChordLookupFailed, target));
                result = null;
                return false;
            }
            return result != null;
        }

        protected override void StopProcessing() => _calls.Cancel();
    }
}
