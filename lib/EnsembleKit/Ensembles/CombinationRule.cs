namespace EnsembleKit.Ensembles;

/// <summary>
/// How member outputs become one prediction. The seeds disagree (seed-spec 1.1), so every ensemble
/// says which rule it uses.
/// </summary>
public enum CombinationRule
{
    /// <summary>Mean of member probabilities, <c>(1/M) sum softmax(f_m)</c>: the dissertation's text (S2 3.2.5) and the kit's default.</summary>
    MeanProbabilities,
    /// <summary>Mean of member logits, then softmax: seed 000's <c>DeepEnsemble</c> and S2's pseudo-code.</summary>
    MeanLogits,
    /// <summary>Hard vote: the share of members voting for each class; ties go to the class with the higher mean probability.</summary>
    MajorityVote,
}
