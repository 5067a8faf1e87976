using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using PSPeer.Host.Hosting;

namespace PSPeer.Host.Session
{
    /// <summary>
    /// Runs one piece of PowerShell text (a script invocation or -Command text) to Out-Default, the way pwsh would:
    /// PowerShell's formatting renders output and non-terminating errors in order, a terminating error is shown
    /// and gives exit code 1, `exit N` gives N, and Ctrl+C stops the pipeline.
    /// </summary>
    public sealed class ScriptRunner
    {
        public const int StoppedExitCode = 130;

        readonly Runspace _runspace;
        readonly PeerHost _host;
        readonly object _gate = new object();
        PowerShell _running;

        public ScriptRunner(Runspace runspace, PeerHost host)
        {
            _runspace = runspace;
            _host = host;
        }

        /// <summary>Asks the running pipeline to stop (from Ctrl+C); returns at once.</summary>
        public void Stop()
        {
            lock (_gate) _running?.BeginStop(null, null);
        }

        public int Run(string scriptText)
        {
            using (var ps = PowerShell.Create())
            {
                ps.Runspace = _runspace;
                ps.AddScript(scriptText);
                // Errors travel with the output, so Out-Default shows each one where it happened.
                ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
                ps.AddCommand("Out-Default");

                lock (_gate) _running = ps;
                try
                {
                    ps.Invoke();
                }
                catch (PipelineStoppedException)
                {
                    return _host.ExitCode ?? StoppedExitCode;
                }
                catch (RuntimeException ex)
                {
                    if (_host.ExitCode.HasValue) return _host.ExitCode.Value;
                    ShowError(ex.ErrorRecord);
                    return 1;
                }
                finally
                {
                    lock (_gate) _running = null;
                    ((PeerHostUserInterface)_host.UI).FinishProgress();
                }

                if (ps.InvocationStateInfo.State == PSInvocationState.Stopped) return _host.ExitCode ?? StoppedExitCode;
                if (_host.ExitCode.HasValue) return _host.ExitCode.Value;
                return LastExitCode();
            }
        }

        /// <summary>A script's `exit N` lands in $LASTEXITCODE when the script returns.</summary>
        int LastExitCode()
        {
            object value = _runspace.SessionStateProxy.GetVariable("LASTEXITCODE");
            return value is int code ? code : 0;
        }

        /// <summary>Renders an error record with PowerShell's error view, on the error stream.</summary>
        public void ShowError(ErrorRecord record)
        {
            var ui = (PeerHostUserInterface)_host.UI;
            string text = null;
            ui.BeginCapture();
            try
            {
                using (var ps = PowerShell.Create())
                {
                    ps.Runspace = _runspace;
                    ps.AddCommand("Out-Default");
                    ps.Invoke(new[] { record });
                }
            }
            catch (RuntimeException)
            {
                // Formatting itself failed: the plain message below still reports the error.
            }
            finally
            {
                text = ui.EndCapture();
            }
            if (string.IsNullOrWhiteSpace(text)) text = record.ToString();
            foreach (string line in text.Trim('\n').Split('\n')) ui.WriteErrorLine(line);
        }
    }
}
