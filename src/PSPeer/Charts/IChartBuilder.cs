using System.Collections.Generic;

namespace PSPeer.Charts
{
    /// <summary>
    /// Turns the objects piped to Export-PeerChart into a figure. One class per kind of chart; a new kind (Chord's hops
    /// against ½·log2 N, key load per node) is one more class and one more line in <see cref="ChartBuilders"/>.
    /// </summary>
    internal interface IChartBuilder
    {
        PeerChartKind Kind { get; }

        /// <summary>Whether this chart draws <paramref name="input"/> (already unwrapped from its PSObject).</summary>
        bool Takes(object input);

        /// <summary>The figure for every input taken; throws <see cref="ChartInputException"/> when there is nothing to draw.</summary>
        ChartFigure Build(IReadOnlyList<object> inputs, string title);
    }

    /// <summary>Every chart Export-PeerChart knows, in the order -Kind is inferred.</summary>
    internal static class ChartBuilders
    {
        public static readonly IReadOnlyList<IChartBuilder> All = new IChartBuilder[]
        {
            new FloodChart(),
            new SwarmChart(),
            new ChordChart(),
        };

        public static IChartBuilder For(PeerChartKind kind)
        {
            foreach (var b in All) if (b.Kind == kind) return b;
            return null;
        }

        /// <summary>The chart that draws <paramref name="input"/>, or null.</summary>
        public static IChartBuilder Taking(object input)
        {
            foreach (var b in All) if (b.Takes(input)) return b;
            return null;
        }
    }
}
