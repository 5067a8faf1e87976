using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace PSPeer.Host.Hosting
{
    /// <summary>
    /// Writes what PowerShell shows to the console: output on stdout, errors, warnings, verbose and debug lines and
    /// progress on stderr. There is nobody to answer prompts (scripts run unattended), so those throw.
    /// It can also capture what would be written, which is how the script runner renders a terminating error with
    /// PowerShell's own error view before writing it to stderr.
    /// </summary>
    public sealed class PeerHostUserInterface : PSHostUserInterface
    {
        readonly HostConsole _console;
        readonly ProgressLine _progress;
        readonly PeerHostRawUserInterface _raw;
        readonly Stack<StringBuilder> _captures = new Stack<StringBuilder>();
        readonly object _gate = new object();

        // PowerShell decorates table headers and errors with escape sequences and leaves removing them to the host
        // when it writes somewhere that is not a terminal.
        static readonly Regex EscapeSequence = new Regex(@"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)", RegexOptions.CultureInvariant);

        public PeerHostUserInterface(HostConsole console)
        {
            _console = console;
            _progress = new ProgressLine(console);
            _raw = new PeerHostRawUserInterface(console.Width);
        }

        public override PSHostRawUserInterface RawUI => _raw;

        /// <summary>Colour escapes only for a real terminal: logs, CI output and captured text stay plain.</summary>
        public override bool SupportsVirtualTerminal => _console.OutputIsTerminal;

        /// <summary>From now until <see cref="EndCapture"/>, ordinary output goes into a buffer instead of stdout.</summary>
        public void BeginCapture()
        {
            lock (_gate) _captures.Push(new StringBuilder());
        }

        public string EndCapture()
        {
            lock (_gate) return _captures.Count == 0 ? string.Empty : _captures.Pop().ToString();
        }

        public override void Write(string value) => WriteOutput(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => WriteOutput(value);
        public override void WriteLine(string value) => WriteOutput(value + "\n");
        public override void WriteErrorLine(string value) => WriteError(value);
        public override void WriteWarningLine(string message) => WriteError("WARNING: " + message);
        public override void WriteVerboseLine(string message) => WriteError("VERBOSE: " + message);
        public override void WriteDebugLine(string message) => WriteError("DEBUG: " + message);

        public override void WriteInformation(InformationRecord record)
        {
            // Write-Host goes through WriteLine already; information records reach here only when asked to show.
        }

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            if (record == null) return;
            lock (_gate) _progress.Show(record);
        }

        /// <summary>Called when a pipeline ends: no progress line outlives the command that drew it.</summary>
        public void FinishProgress()
        {
            lock (_gate) _progress.Finish();
        }

        string Plain(string text) => _console.OutputIsTerminal || text == null ? text : EscapeSequence.Replace(text, string.Empty);

        void WriteOutput(string text)
        {
            text = Plain(text) ?? string.Empty;
            lock (_gate)
            {
                if (_captures.Count > 0) { _captures.Peek().Append(text.Replace("\r\n", "\n")); return; }
                _progress.Clear();
                _console.Output.Write(text.Replace("\n", Environment.NewLine));
                _console.Output.Flush();
            }
        }

        void WriteError(string line)
        {
            line = Plain(line);
            lock (_gate)
            {
                _progress.Clear();
                _console.Error.WriteLine(line);
                _console.Error.Flush();
            }
        }

        const string NoPrompts = "The PSPeer script host runs scripts unattended and cannot prompt; pass the value as a parameter.";

        public override string ReadLine() => throw new NotSupportedException(NoPrompts);
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException(NoPrompts);
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException(NoPrompts);
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException(NoPrompts);
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException(NoPrompts);
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException(NoPrompts);
    }
}
