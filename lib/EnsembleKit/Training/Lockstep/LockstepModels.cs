using EnsembleKit.Models;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>
/// Builds the stacked counterpart of M member modules. An architecture plugs in with one <see cref="LockstepModel"/>
/// subclass and one line in <see cref="Create"/>.
/// </summary>
public static class LockstepModels
{
    /// <summary>The architectures lockstep training supports.</summary>
    public static IReadOnlyList<Type> Supported { get; } = [typeof(Mlp), typeof(LeNet)];

    /// <summary>
    /// A <see cref="LockstepModel"/> holding copies of <paramref name="members"/>' parameters (all of one type and one
    /// configuration).
    /// </summary>
    /// <exception cref="NotSupportedException">The members' type has no lockstep counterpart.</exception>
    /// <exception cref="ArgumentException">No members, a null member, members of different types or configurations.</exception>
    public static LockstepModel Create(IReadOnlyList<nn.Module<Tensor, Tensor>> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("lockstep training needs at least one member; got 0.", nameof(members));
        for (int m = 0; m < members.Count; m++)
        {
            if (members[m] is null) throw new ArgumentException($"member {m} is null.", nameof(members));
            if (members[m].GetType() != members[0].GetType())
                throw new ArgumentException($"lockstep members must share one architecture: member 0 is a {members[0].GetType().Name}, " +
                    $"member {m} a {members[m].GetType().Name}.", nameof(members));
        }
        return members[0] switch
        {
            Mlp => new LockstepMlp(members.Cast<Mlp>().ToList()),
            LeNet => new LockstepLeNet(members.Cast<LeNet>().ToList()),
            var other => throw new NotSupportedException($"lockstep training does not support {other.GetType().Name} models " +
                $"(supported: {string.Join(", ", Supported.Select(t => t.Name))}); train them sequentially instead."),
        };
    }
}
