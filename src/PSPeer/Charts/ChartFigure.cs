using System.Collections.Generic;

namespace PSPeer.Charts
{
    /// <summary>
    /// What Export-PeerChart draws, independent of the output format: a title, a line of notes (the network, the
    /// swarm, what a reference line assumes) and the panels, stacked top to bottom.
    /// </summary>
    internal sealed class ChartFigure
    {
        public ChartFigure(PeerChartKind kind, string title)
        {
            Kind = kind;
            Title = ChartText.Clean(title);
        }

        public PeerChartKind Kind { get; }
        public string Title { get; }
        public List<string> Notes { get; } = new List<string>();
        public List<ChartPanel> Panels { get; } = new List<ChartPanel>();

        public void Note(string note) => Notes.Add(ChartText.Clean(note, 4 * ChartText.MaxLength));

        public ChartPanel Add(ChartPanel panel)
        {
            Panels.Add(panel);
            return panel;
        }
    }
}
