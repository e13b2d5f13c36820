# `cmake --install` lays out a prefix a user project consumes with
# find_package(Kiln) and target_link_libraries(app Kiln::kiln).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Only the headers of the public API (what kiln.h includes): the frontend's
# internal ones (Graph.h, Plan.h, ModuleBuilder.h, ...) include LLVM or MLIR
# and stay in the source tree.
install(FILES ${CMAKE_SOURCE_DIR}/kiln.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/kiln)
set(KILN_PUBLIC_HEADERS
  frontend/Archive.h frontend/Autograd.h frontend/Config.h frontend/CustomFunction.h frontend/Data.h frontend/Enum.h frontend/Layers.h frontend/Pooling.h frontend/NormLayers.h frontend/Upsample.h
  frontend/Export.h
  frontend/Functional.h frontend/FunctionalOptions.h frontend/Loss.h
  frontend/LossOptions.h frontend/Metrics.h frontend/Module.h
  frontend/ModuleOptions.h frontend/NN.h frontend/NNFunctional.h
  frontend/Optim.h frontend/OrderedDict.h frontend/RNN.h frontend/RNNUtils.h frontend/Serialize.h
  frontend/Stats.h frontend/Tensor.h frontend/TensorLosses.h frontend/Types.h
  frontend/data/BatchDataset.h frontend/data/Csv.h frontend/data/DataLoader.h
  frontend/data/Dataset.h frontend/data/Idx.h frontend/data/Images.h
  frontend/data/ProgressBar.h frontend/data/Records.h frontend/data/Samplers.h
  frontend/data/StatelessDataLoader.h frontend/data/Streams.h
  frontend/data/Transforms.h
  runtime/Error.h compat/torch.h)
foreach(header ${KILN_PUBLIC_HEADERS})
  get_filename_component(dir ${header} DIRECTORY)
  install(FILES ${CMAKE_SOURCE_DIR}/${header}
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/kiln/${dir})
endforeach()

install(TARGETS kiln EXPORT KilnTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS kiln-cli kiln-opt RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(KILN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Kiln)
install(EXPORT KilnTargets NAMESPACE Kiln:: DESTINATION ${KILN_CMAKE_DIR})
configure_package_config_file(cmake/KilnConfig.cmake.in
  ${CMAKE_BINARY_DIR}/KilnConfig.cmake INSTALL_DESTINATION ${KILN_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/KilnConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/KilnConfig.cmake
              ${CMAKE_BINARY_DIR}/KilnConfigVersion.cmake
        DESTINATION ${KILN_CMAKE_DIR})
