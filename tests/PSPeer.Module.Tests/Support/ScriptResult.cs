using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace PSPeer.Module.Tests.Support
{
    /// <summary>What one script run produced: its output objects, its error records, and a terminating error if any.</summary>
    public sealed class ScriptResult
    {
        public ScriptResult(IReadOnlyList<PSObject> output, IReadOnlyList<ErrorRecord> errors, bool hadErrors, RuntimeException terminating,
            IReadOnlyList<ProgressRecord> progress = null)
        {
            Output = output; Errors = errors; HadErrors = hadErrors; Terminating = terminating;
            Progress = progress ?? new ProgressRecord[0];
        }

        public IReadOnlyList<ProgressRecord> Progress { get; }

        public IReadOnlyList<PSObject> Output { get; }
        public IReadOnlyList<ErrorRecord> Errors { get; }
        public bool HadErrors { get; }
        public RuntimeException Terminating { get; }

        /// <summary>Non-terminating errors plus the terminating one, in that order.</summary>
        public IEnumerable<ErrorRecord> AllErrors =>
            Terminating?.ErrorRecord == null ? Errors : Errors.Concat(new[] { Terminating.ErrorRecord });

        public IEnumerable<PSObject> OfType(string typeName) =>
            Output.Where(o => o != null && o.TypeNames.Any(t => t == typeName || t.EndsWith("." + typeName, StringComparison.Ordinal)));

        /// <summary>Describes the errors for an assertion message.</summary>
        public string Describe() => string.Join(Environment.NewLine,
            AllErrors.Select(e => $"{e.FullyQualifiedErrorId}: {e.Exception?.Message} {e.InvocationInfo?.PositionMessage}"));

        public void ShouldSucceed()
        {
            if (Terminating != null || HadErrors)
                throw new Xunit.Sdk.XunitException("The script failed:" + Environment.NewLine + Describe());
        }
    }
}
