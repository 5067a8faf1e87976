using System;
using PSPeer.Engine.Chord;

namespace PSPeer.Engine.Networks.Chord
{
    // The few places that depend on how the engine spells things beyond the contract's names.
    public sealed partial class ChordNetwork
    {
        /// <summary>Maintenance never comes due within any experiment: the node validates intervals as positive, so "off" is ten years.</summary>
        internal static readonly TimeSpan Never = TimeSpan.FromDays(3650);

        static void DisableMaintenance(ChordOptions o)
        {
            o.StabilizeInterval = Never;
            o.FixFingersInterval = Never;
            o.CheckPredecessorInterval = Never;
        }
    }
}
