using static TorchSharp.torch;

namespace EnsembleKit.Cli.Members;

/// <summary>The complete members of one recipe, loaded: <see cref="MemberStore.LoadComplete"/>.</summary>
/// <param name="Recipe">The recipe all of them were trained under.</param>
/// <param name="Manifests">Their manifests, by index.</param>
/// <param name="Logits">Their test-set logits <c>[M', N, C]</c>, in the order of <paramref name="Manifests"/>; disposed with this.</param>
/// <param name="OodLogits">Their logits on the OOD set (MNIST digits) <c>[M', N', C]</c>, or null when a member has none.</param>
public sealed record CombinedMembers(MemberRecipe Recipe, IReadOnlyList<MemberManifest> Manifests, Tensor Logits, Tensor? OodLogits = null) : IDisposable
{
    public void Dispose()
    {
        Logits.Dispose();
        OodLogits?.Dispose();
    }

    public IReadOnlyList<int> Indices => Manifests.Select(m => m.Index).ToList();
}
