using System;
using System.Management.Automation;
using System.Text;

namespace PSPeer.Host.Hosting
{
    /// <summary>
    /// Renders progress records as one line on stderr. On a terminal the line is redrawn in place and cleared by the
    /// Completed record, or at the latest when the pipeline ends (<see cref="Finish"/>). When stderr is redirected
    /// (a log, CI) it writes a plain line at most about once a second, so a 200 MB transfer does not flood the log,
    /// and the newest record it held back is written when its activity completes: a log ends with where the work
    /// got to (100 %), not with the first line of a transfer that took less than a second (50 %).
    /// </summary>
    sealed class ProgressLine
    {
        static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(1);

        readonly HostConsole _console;
        TimeSpan? _lastLineAt;   // when the last redirected line was written; null before the first
        bool _visible;
        ProgressRecord _heldBack;  // redirected: the newest record not written because of the interval

        public ProgressLine(HostConsole console) => _console = console;

        public void Show(ProgressRecord record)
        {
            if (record.RecordType == ProgressRecordType.Completed)
            {
                if (_heldBack != null && _heldBack.ActivityId == record.ActivityId) WriteHeldBack();
                Clear();
                _lastLineAt = null;
                return;
            }

            string text = Format(record);
            if (_console.ErrorIsTerminal)
            {
                int width = Math.Max(_console.Width - 1, 10);
                if (text.Length > width) text = text.Substring(0, width);
                _console.Error.Write("\r" + text.PadRight(width));
                _console.Error.Flush();
                _visible = true;
            }
            else
            {
                var now = _console.Clock();
                if (_lastLineAt == null || now - _lastLineAt.Value >= RedirectedInterval)
                {
                    _console.Error.WriteLine(text);
                    _lastLineAt = now;
                    _heldBack = null;
                }
                else
                {
                    _heldBack = record;
                }
            }
        }

        /// <summary>
        /// The pipeline ended: nothing is in progress any more, whether or not a Completed record came (Ctrl+C, an
        /// error). Clears a drawn line; in a log, writes the record held back, so the log shows where work stopped.
        /// </summary>
        public void Finish()
        {
            if (_heldBack != null) WriteHeldBack();
            Clear();
            _lastLineAt = null;
        }

        void WriteHeldBack()
        {
            _console.Error.WriteLine(Format(_heldBack));
            _heldBack = null;
        }

        /// <summary>Removes a drawn line, so ordinary output does not land in the middle of it.</summary>
        public void Clear()
        {
            if (!_visible) return;
            int width = Math.Max(_console.Width - 1, 10);
            _console.Error.Write("\r" + new string(' ', width) + "\r");
            _console.Error.Flush();
            _visible = false;
        }

        static string Format(ProgressRecord record)
        {
            var line = new StringBuilder(record.Activity);
            if (!string.IsNullOrEmpty(record.StatusDescription)) line.Append(": ").Append(record.StatusDescription);
            if (record.PercentComplete >= 0)
            {
                const int barWidth = 20;
                int filled = Math.Min(barWidth, record.PercentComplete * barWidth / 100);
                line.Append(" [").Append('#', filled).Append('.', barWidth - filled).Append("] ")
                    .Append(record.PercentComplete).Append('%');
            }
            if (record.SecondsRemaining >= 0) line.Append(", ").Append(record.SecondsRemaining).Append(" s left");
            if (!string.IsNullOrEmpty(record.CurrentOperation)) line.Append(" (").Append(record.CurrentOperation).Append(')');
            return line.ToString();
        }
    }
}
