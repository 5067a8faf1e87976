using System;
using System.IO;

namespace PSPeer.Host.Hosting
{
    /// <summary>
    /// Where the host writes and how wide it may draw. The program uses the real console; tests pass string writers
    /// so that what a script shows can be asserted on.
    /// </summary>
    public sealed class HostConsole
    {
        /// <summary>Width used when output is redirected: wide enough that PowerShell's tables are not squeezed.</summary>
        public const int RedirectedWidth = 120;

        /// <param name="clock">Monotonic time for throttling progress; default the system's. Tests pass their own.</param>
        public HostConsole(TextWriter output, TextWriter error, bool errorIsTerminal, int width, bool outputIsTerminal = false, Func<TimeSpan> clock = null)
        {
            Clock = clock ?? SystemClock();
            OutputIsTerminal = outputIsTerminal;
            Output = output ?? throw new ArgumentNullException(nameof(output));
            Error = error ?? throw new ArgumentNullException(nameof(error));
            ErrorIsTerminal = errorIsTerminal;
            Width = width > 0 ? width : RedirectedWidth;
        }

        public TextWriter Output { get; }
        public TextWriter Error { get; }
        /// <summary>True when stderr is a terminal, so a progress line can be redrawn in place with '\r'.</summary>
        public bool ErrorIsTerminal { get; }
        /// <summary>True when stdout is a terminal, so PowerShell may colour table headers and errors.</summary>
        public bool OutputIsTerminal { get; }
        public int Width { get; }
        public Func<TimeSpan> Clock { get; }

        static Func<TimeSpan> SystemClock()
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            return () => watch.Elapsed;
        }

        public static HostConsole FromSystemConsole()
        {
            int width = RedirectedWidth;
            if (!Console.IsOutputRedirected)
            {
                // A pseudo-terminal that never had its size set reports 0 columns: treat it as redirected.
                try { int columns = Console.WindowWidth; if (columns >= 20) width = columns; }
                catch (IOException) { /* no real console behind stdout after all */ }
            }
            return new HostConsole(Console.Out, Console.Error, !Console.IsErrorRedirected, width, !Console.IsOutputRedirected);
        }

        /// <summary>A console that writes into the given writers, as a redirected console would (tests).</summary>
        public static HostConsole Captured(TextWriter output, TextWriter error) =>
            new HostConsole(output, error, errorIsTerminal: false, width: RedirectedWidth);
    }
}
