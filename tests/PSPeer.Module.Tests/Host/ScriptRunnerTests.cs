using System.IO;
using PSPeer.Host.Session;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Host
{
    /// <summary>The host's run-to-Out-Default behaviour and exit codes, without the module (plain PowerShell).</summary>
    public class ScriptRunnerTests : System.IDisposable
    {
        readonly ModuleSession _session = new ModuleSession(importModule: false);

        int RunFile(string body, params string[] arguments)
        {
            string path = Path.Combine(_session.Temp.Path, "script.ps1");
            File.WriteAllText(path, body);
            return new ScriptRunner(_session.Runspace, _session.Host).Run(ScriptInvocation.Build(path, arguments));
        }

        [Fact]
        public void Arguments_bind_by_name_and_output_is_rendered_by_Out_Default()
        {
            int code = RunFile("param([string]$Name, [int]$Count) [pscustomobject]@{ Who = $Name; Many = $Count * 2 }", "-Name", "bob", "-Count", "21");

            Assert.Equal(0, code);
            Assert.Contains("Who Many", _session.HostOutput);
            Assert.Contains("bob   42", _session.HostOutput);
            Assert.DoesNotContain("\u001b[", _session.HostOutput, System.StringComparison.Ordinal);
        }

        [Fact]
        public void Exit_code_of_the_script_is_returned()
        {
            Assert.Equal(3, RunFile("'before'; exit 3; 'after'"));
            Assert.Contains("before", _session.HostOutput);
            Assert.DoesNotContain("after", _session.HostOutput);
        }

        [Fact]
        public void Top_level_exit_in_command_text_is_returned()
        {
            Assert.Equal(7, new ScriptRunner(_session.Runspace, _session.Host).Run("exit 7"));
        }

        [Fact]
        public void Terminating_error_is_shown_and_exits_one()
        {
            Assert.Equal(1, RunFile("throw 'the sky fell'"));
            Assert.Contains("the sky fell", _session.HostError);
        }

        [Fact]
        public void Non_terminating_error_is_shown_where_it_happened_and_the_script_goes_on()
        {
            // An advanced function reports a non-terminating error the way a compiled cmdlet does.
            int code = RunFile(@"
                function Test-Item { [CmdletBinding()] param()
                    $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                        [System.Exception]::new('one bad item'), 'ItemBad', 'InvalidData', $null)) }
                Test-Item; 'still running'");

            Assert.Equal(0, code);
            Assert.Contains("one bad item", _session.HostError);
            Assert.Contains("still running", _session.HostOutput);
        }

        [Fact]
        public void Missing_command_is_a_terminating_failure_of_the_statement_but_not_of_the_host()
        {
            // An unknown command is a non-terminating error at statement level in PowerShell.
            int code = RunFile("No-SuchCommand; 'next'");

            Assert.Equal(0, code);
            Assert.Contains("No-SuchCommand", _session.HostError);
            Assert.Contains("next", _session.HostOutput);
        }

        public void Dispose() => _session.Dispose();
    }
}
