using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PSPeer.Host.Session;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Host
{
    /// <summary>
    /// The hosted runspace is a whole PowerShell session (Microsoft.PowerShell.SDK): scripts get the default command
    /// set that pwsh has, from the hosted PowerShell's own $PSHOME/Modules, and the tests' sessions never borrow
    /// modules from the PSModulePath of whoever started them (a pwsh running build.ps1, say).
    /// </summary>
    public class PeerSessionFactoryTests
    {
        [Theory]
        [InlineData("Select-Object", "(1..5 | Select-Object -First 2) -join ','", "1,2")]
        [InlineData("Join-Path", "(Join-Path 'a' 'b').Replace('\\', '/')", "a/b")]
        [InlineData("Format-Table", "([pscustomobject]@{ Name = 'x'; Size = 3 } | Format-Table | Out-String).Trim().Split(\"`n\")[0].Trim()", "Name Size")]
        [InlineData("Start-Sleep", "Start-Sleep -Milliseconds 1; 'slept'", "slept")]
        [InlineData("ConvertTo-Json", "[pscustomobject]@{ A = 1 } | ConvertTo-Json -Compress", "{\"A\":1}")]
        [InlineData("Get-FileHash", "Set-Content -Path x.txt -Value 'abc' -NoNewline; (Get-FileHash x.txt -Algorithm SHA1).Hash", "A9993E364706816ABA3E25717850C26C9CD0D89D")]
        public void Scripts_have_the_default_command_set(string command, string script, string expected)
        {
            using (var session = new ModuleSession(importModule: false))
            {
                var result = session.Run(script);

                result.ShouldSucceed();
                Assert.True(expected == (string)result.Output.Single().BaseObject, command + " gave: " + result.Output.Single());
            }
        }

        [Fact]
        public void Write_Host_prints_through_the_host()
        {
            using (var session = new ModuleSession(importModule: false))
            {
                session.Run("Write-Host 'hello from Write-Host'").ShouldSucceed();

                Assert.Contains("hello from Write-Host", session.HostOutput);
            }
        }

        [Fact]
        public void Modules_come_from_the_hosted_PowerShell_never_from_the_callers_PSModulePath()
        {
            // What a pwsh running `dotnet test` hands down: its own module folders, here one with a module of its own.
            using (var caller = new TempFolder())
            {
                string module = caller.Sub("CallerOnly");
                File.WriteAllText(Path.Combine(module, "CallerOnly.psm1"), "function Get-CallerOnlyThing { 'borrowed' }");
                string before = Environment.GetEnvironmentVariable("PSModulePath");
                Environment.SetEnvironmentVariable("PSModulePath", caller.Path);
                try
                {
                    using (var session = new ModuleSession(importModule: false))
                    {
                        var path = session.Run("$env:PSModulePath");
                        var borrowed = session.Run("Get-CallerOnlyThing");
                        var utility = session.Run("(Get-Command Format-Table).Module.Path");

                        Assert.Equal(PeerSessionFactory.BuiltInModulePath, (string)path.Output.Single().BaseObject);
                        Assert.IsType<CommandNotFoundException>(Assert.Single(borrowed.AllErrors).Exception);
                        Assert.True(((string)utility.Output.Single().BaseObject).StartsWith(PeerSessionFactory.BuiltInModulePath), utility.Output.Single() + " vs " + PeerSessionFactory.BuiltInModulePath);
                    }
                }
                finally
                {
                    Environment.SetEnvironmentVariable("PSModulePath", before);
                }
            }
        }
    }
}
