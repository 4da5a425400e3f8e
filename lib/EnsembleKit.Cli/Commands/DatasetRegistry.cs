using EnsembleKit.Data;
using EnsembleKit.Data.Corruptions;

namespace EnsembleKit.Cli.Commands;

/// <summary>The datasets the kit knows, for <c>kit doctor</c> and <c>kit data</c> (here, above every data namespace,
/// so that generated datasets can list themselves without Data depending on them).</summary>
public static class DatasetRegistry
{
    /// <summary>One status probe per dataset; a new dataset adds its own line.</summary>
    static readonly Func<DatasetStatus>[] Known =
    [
        FashionMnist.Status,
        MnistDigits.Status,
        Cifar10.Status,
        Cifar100.Status,
        Svhn.Status,
        Cifar10C.Status,
        CorruptedDataset.FashionMnistStatus,
        CorruptedDataset.Cifar10Status,
    ];

    public static IEnumerable<DatasetStatus> Describe() => Known.Select(probe => probe());
}
