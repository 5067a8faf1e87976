using System;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace PSPeer.Host.Hosting
{
    /// <summary>
    /// The PSHost the script runs under. Besides the UI it records an `exit N` that reaches the host (a top-level
    /// exit in -Command text), and offers capture to the Out-Default based Out-String stand-in via PrivateData.
    /// </summary>
    public sealed class PeerHost : PSHost
    {
        readonly PeerHostUserInterface _ui;
        readonly PSObject _privateData;

        public PeerHost(HostConsole console)
        {
            _ui = new PeerHostUserInterface(console);
            _privateData = PSObject.AsPSObject(new PeerHostPrivateData(_ui));
        }

        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override string Name => "PSPeerHost";
        public override Version Version => typeof(PeerHost).Assembly.GetName().Version ?? new Version(0, 1);
        public override PSHostUserInterface UI => _ui;
        public override PSObject PrivateData => _privateData;

        /// <summary>The code passed to `exit` at the top level, or null when no exit was requested.</summary>
        public int? ExitCode { get; private set; }

        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

        public override void EnterNestedPrompt() => throw new NotSupportedException("The PSPeer script host has no interactive prompt.");
        public override void ExitNestedPrompt() => throw new NotSupportedException("The PSPeer script host has no interactive prompt.");
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    /// <summary>What scripts reach as $Host.PrivateData: capture of host output, used by the Out-String stand-in.</summary>
    public sealed class PeerHostPrivateData
    {
        readonly PeerHostUserInterface _ui;
        internal PeerHostPrivateData(PeerHostUserInterface ui) => _ui = ui;
        public void BeginCapture() => _ui.BeginCapture();
        public string EndCapture() => _ui.EndCapture();
    }
}
