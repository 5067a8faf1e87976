using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PSPeer.Host.Hosting;
using Xunit;

namespace PSPeer.Module.Tests.Host
{
    public class ProgressLineTests
    {
        [Fact]
        public void Redirected_progress_is_throttled_and_ends_with_the_newest_record_when_completed()
        {
            var error = new StringWriter();
            var now = TimeSpan.Zero;   // the test's clock: 200 records over 2.5 s, 12.5 ms apart
            var ui = new PeerHostUserInterface(new HostConsole(new StringWriter(), error, errorIsTerminal: false, width: 0, clock: () => now));

            for (int i = 0; i < 200; i++)
            {
                ui.WriteProgress(1, new ProgressRecord(7, "Downloading", "file.bin") { PercentComplete = i / 2 });
                now += TimeSpan.FromMilliseconds(12.5);
            }
            ui.WriteProgress(1, new ProgressRecord(7, "Downloading", "done") { RecordType = ProgressRecordType.Completed });

            // One line at once, then one per second of the clock: at 0, 1.0 and 2.0 s; then, at completion, the newest
            // record held back (99 %), so the log shows where the work got to. The Completed record itself prints nothing.
            var lines = error.ToString().Split('\n').Where(l => l.Length > 0).ToArray();
            Assert.Equal(4, lines.Length);
            Assert.StartsWith("Downloading: file.bin [", lines[0]);
            Assert.EndsWith("0%", lines[0]);
            Assert.EndsWith("40%", lines[1]);
            Assert.EndsWith("99%", lines[3]);
            Assert.DoesNotContain(lines, l => l.Contains("done"));
        }

        [Fact]
        public void Redirected_progress_of_a_transfer_shorter_than_the_interval_does_not_end_at_its_first_line()
        {
            var error = new StringWriter();
            var now = TimeSpan.Zero;
            var ui = new PeerHostUserInterface(new HostConsole(new StringWriter(), error, errorIsTerminal: false, width: 0, clock: () => now));

            ui.WriteProgress(1, new ProgressRecord(7, "Receiving a.mp3", "150 KB of 300 KB") { PercentComplete = 50 });
            now += TimeSpan.FromMilliseconds(20);
            ui.WriteProgress(1, new ProgressRecord(7, "Receiving a.mp3", "300 KB of 300 KB") { PercentComplete = 100 });
            ui.WriteProgress(1, new ProgressRecord(7, "Receiving a.mp3", "Completed") { RecordType = ProgressRecordType.Completed });

            var lines = error.ToString().Split('\n').Where(l => l.Length > 0).ToArray();
            Assert.Equal(2, lines.Length);
            Assert.EndsWith("50%", lines[0]);
            Assert.EndsWith("100%", lines[1]);
        }

        [Fact]
        public void A_progress_line_without_a_completed_record_is_cleared_when_the_pipeline_ends()
        {
            var error = new StringWriter();
            var host = new PeerHost(new HostConsole(new StringWriter(), error, errorIsTerminal: true, width: 60));
            using (var runspace = PSPeer.Host.Session.PeerSessionFactory.OpenRunspace(host, Path.GetTempPath(), PSPeer.Host.Session.PeerSessionFactory.BuiltInModulePath))
            {
                // Write-Progress with no -Completed: the script ends with its line drawn at 50 %.
                int code = new PSPeer.Host.Session.ScriptRunner(runspace, host).Run("Write-Progress -Activity 'Copying' -Status 'half' -PercentComplete 50");

                Assert.Equal(0, code);
                Assert.Contains("[##########..........] 50%", error.ToString());
                Assert.EndsWith("\r" + new string(' ', 59) + "\r", error.ToString());
            }
        }

        [Fact]
        public void Terminal_progress_redraws_one_line_and_the_completed_record_clears_it()
        {
            var error = new StringWriter();
            var ui = new PeerHostUserInterface(new HostConsole(new StringWriter(), error, errorIsTerminal: true, width: 60));

            ui.WriteProgress(1, new ProgressRecord(7, "Downloading", "file.bin") { PercentComplete = 50 });
            ui.WriteProgress(1, new ProgressRecord(7, "Downloading", "file.bin") { RecordType = ProgressRecordType.Completed });

            string text = error.ToString();
            Assert.DoesNotContain("\n", text);
            Assert.Contains("[##########..........] 50%", text);
            Assert.EndsWith("\r" + new string(' ', 59) + "\r", text);
        }
    }
}
