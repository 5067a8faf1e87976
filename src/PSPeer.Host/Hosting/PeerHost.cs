using System;
using System.Globalization;
using System.Management.Automation.Host;

namespace PSPeer.Host.Hosting
{
    /// <summary>
    /// The PSHost the script runs under. Besides the UI it records an `exit N` that reaches the host (a top-level
    /// exit in -Command text).
    /// </summary>
    public sealed class PeerHost : PSHost
    {
        readonly PeerHostUserInterface _ui;

        public PeerHost(HostConsole console)
        {
            _ui = new PeerHostUserInterface(console);
        }

        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override string Name => "PSPeerHost";
        public override Version Version => typeof(PeerHost).Assembly.GetName().Version ?? new Version(0, 1);
        public override PSHostUserInterface UI => _ui;

        /// <summary>The code passed to `exit` at the top level, or null when no exit was requested.</summary>
        public int? ExitCode { get; private set; }

        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

        public override void EnterNestedPrompt() => throw new NotSupportedException("The PSPeer script host has no interactive prompt.");
        public override void ExitNestedPrompt() => throw new NotSupportedException("The PSPeer script host has no interactive prompt.");
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }
}
