using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Tests.Interop
{
    /// <summary>
    /// A running external tool: its output captured (for assertion messages), killed with its children on Dispose,
    /// so a failing test never leaves a seeder or a tracker behind.
    /// </summary>
    public sealed class ToolProcess : IDisposable
    {
        readonly Process _process;
        readonly StringBuilder _stdout = new StringBuilder();
        readonly StringBuilder _stderr = new StringBuilder();
        readonly TaskCompletionSource<bool> _exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        readonly string _description;

        ToolProcess(Process process, string description)
        {
            _process = process;
            _description = description;
        }

        /// <summary>Starts <paramref name="tool"/> (a name found with <see cref="ExternalTool.Find"/>, or a full path).</summary>
        public static ToolProcess Start(string tool, IEnumerable<string> arguments, string workingDirectory = null)
        {
            string exe = tool.Contains("/") ? tool : ExternalTool.Require(tool);
            var psi = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,   // tools that read stdin see end of input, never the test host's console
                UseShellExecute = false,
            };
            if (workingDirectory != null) psi.WorkingDirectory = workingDirectory;
            foreach (var a in arguments) psi.ArgumentList.Add(a);
            var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
            var result = new ToolProcess(process, exe + " " + string.Join(" ", psi.ArgumentList));
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (result._stdout) result._stdout.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (result._stderr) result._stderr.AppendLine(e.Data); };
            process.Exited += (_, __) => result._exited.TrySetResult(true);
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (process.HasExited) result._exited.TrySetResult(true);
            return result;
        }

        public int Id => _process.Id;
        public bool HasExited => _process.HasExited;
        public int ExitCode => _process.ExitCode;
        public string StandardOutput { get { lock (_stdout) return _stdout.ToString(); } }
        public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }
        /// <summary>Everything the tool printed, for a failing assertion's message.</summary>
        public string Output => $"[{_description}]\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
        public string Describe() => _description;

        /// <summary>True once the tool exited (its output fully read); false when <paramref name="timeout"/> passed first.</summary>
        public async Task<bool> WaitForExitAsync(TimeSpan timeout)
        {
            var finished = await Task.WhenAny(_exited.Task, Task.Delay(timeout));
            if (finished != _exited.Task) return false;
            // The Exited event can precede the last output lines; this waits for the redirected streams to drain.
            using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            {
                try { await _process.WaitForExitAsync(cts.Token); } catch (OperationCanceledException) { }
            }
            return true;
        }

        /// <summary>Kills the tool and its children (when still running) and waits briefly for it to go.</summary>
        public void Kill()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException) { /* already gone */ }
            catch (System.ComponentModel.Win32Exception) { /* already gone, or not ours to kill */ }
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
        }
    }
}
